from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "cupure.sources"
    verbose_name = "Publishers and feeds"
