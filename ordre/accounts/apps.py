from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ordre.accounts"
    label = "accounts"
    verbose_name = "Comptes et accès"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from ordre.accounts import signals  # noqa: F401 - connects the receivers
        from ordre.portal.navigation import register

        register(
            label=_("Mon compte"),
            url_name="accounts:account",
            order=90,
            visible=lambda user: user.is_authenticated,
        )
