from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ordre.accounts"
    label = "accounts"
    verbose_name = "Comptes et accès"
