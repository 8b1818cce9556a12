from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilSyncConfig(AppConfig):
    name = "tableau.sync"
    label = "tableau_sync"
    verbose_name = _("Synchronisation des conseils")

    def ready(self):
        from ordre.api.scopes import register_scope

        register_scope(
            "councils.sync", _("Lire et acquitter les changements du tableau d'un conseil.")
        )
