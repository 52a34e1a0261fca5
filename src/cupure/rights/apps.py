from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "cupure.rights"
    verbose_name = "Publishers' rights"
