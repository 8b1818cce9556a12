from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "ordre.procedures"
    label = "procedures"
    verbose_name = _("Démarches en ligne")

    def ready(self):
        from ordre.accounts.roles import CLERK, user_has_role
        from ordre.documents.permissions import register_access_rule
        from ordre.portal.navigation import register
        from ordre.procedures.permissions import clerk_may_download

        register_access_rule(clerk_may_download)
        register(
            label=_("Mes démarches"),
            url_name="procedures:my_dossiers",
            order=30,
            visible=lambda user: user.is_authenticated,
        )
        register(
            label=_("Instruction"),
            url_name="procedures:queue",
            order=40,
            visible=lambda user: user_has_role(user, CLERK),
        )
