from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "ordre.councils"
    label = "councils"
    verbose_name = _("Conseils de l'ordre")
    default_auto_field = "django.db.models.BigAutoField"
