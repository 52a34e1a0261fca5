from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "cupure.articles"
    verbose_name = "Articles"
