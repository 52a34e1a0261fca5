from django.apps import AppConfig


class QuotesConfig(AppConfig):
    name = "cupure.quotes"
    verbose_name = "Quotes"
