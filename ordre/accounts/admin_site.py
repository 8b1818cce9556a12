"""The Django admin of Ordre: only for IT admins whose session passed the second factor.

Installed by `ordre.accounts.admin_apps.OrdreAdminConfig` (listed in INSTALLED_APPS instead of
`django.contrib.admin`), so `admin.site` everywhere is an `OrdreAdminSite`.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ordre.accounts.roles import IT_ADMIN, user_has_role
from ordre.accounts.session_state import is_session_verified


class OrdreAdminSite(admin.AdminSite):
    site_header = _("Administration d’Ordre")
    site_title = _("Administration d’Ordre")
    index_title = _("Administration du système d’information")

    def has_permission(self, request):
        user = request.user
        return user.is_active and user_has_role(user, IT_ADMIN) and is_session_verified(request)

    def login(self, request, extra_context=None):
        """No password form of its own: the portal login (and its 2FA) is the only door."""
        if request.user.is_authenticated:
            raise PermissionDenied(
                _("L’administration est réservée aux administrateurs du système d’information.")
            )
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index"),
            login_url=reverse("accounts:login"),
        )
