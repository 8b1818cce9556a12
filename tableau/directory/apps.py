from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "tableau.directory"
    label = "tableau_directory"
    verbose_name = _("Annuaire public")

    def ready(self):
        from ordre.portal.navigation import register
        from tableau.directory import signals  # noqa: F401 - keeps the directory in step

        register(label=_("Annuaire"), url_name="directory:search", order=20)
