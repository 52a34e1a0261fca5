from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cupure.search"
    verbose_name = "Search"
