from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RppsConfig(AppConfig):
    name = "rpps"
    label = "rpps"
    verbose_name = _("RPPS et annuaire national")
    default_auto_field = "django.db.models.BigAutoField"
