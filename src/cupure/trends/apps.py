from django.apps import AppConfig


class TrendsConfig(AppConfig):
    name = "cupure.trends"
    verbose_name = "Trending topics"
