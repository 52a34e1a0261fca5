from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "cupure.accounts"
    label = "accounts"
    verbose_name = "Reader accounts"
    default = True


class CupureAdminConfig(admin_apps.AdminConfig):
    """Django's admin on our site class: staff need a second factor to use it."""

    default = False
    default_site = "cupure.accounts.admin_site.CupureAdminSite"
