from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cupure.web"
    verbose_name = "Reader site"
