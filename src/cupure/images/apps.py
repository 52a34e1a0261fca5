from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "cupure.images"
    verbose_name = "images"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
