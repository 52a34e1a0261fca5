from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "cupure.stories"
    verbose_name = "Stories"
