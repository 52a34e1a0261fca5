from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cupure.accounts"
    label = "accounts"
    verbose_name = "Reader accounts"
