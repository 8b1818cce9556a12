from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TableauConfig(AppConfig):
    name = "tableau"
    label = "tableau"
    verbose_name = _("Tableau de l’Ordre")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Register the procedure kinds of the register with the dossier engine.
        from tableau import procedures

        procedures.register()
