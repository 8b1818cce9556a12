"""Permissions of the API.

Deny by default for API keys: a key opens only the views that declare
`required_scopes`, and only when it carries all of them. Session users are
governed by the view's own permissions (authenticated by default).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from ordre.api.authentication import api_key_of


def _required_scopes(view) -> tuple[str, ...]:
    return tuple(getattr(view, "required_scopes", ()) or ())


class HasApiKeyScope(BasePermission):
    """Only an API key carrying every scope of `view.required_scopes`.

    Combine with a user permission when people may call the view too:
    `permission_classes = [HasApiKeyScope | IsClerk]`.
    """

    message = _("Cette clé d'API n'a pas les portées requises.")

    def has_permission(self, request, view) -> bool:
        key = api_key_of(request)
        required = _required_scopes(view)
        if key is None or not required:
            return False
        if not key.has_scopes(required):
            missing = sorted(set(required) - set(key.scopes))
            self.message = _("Cette clé d'API n'a pas les portées requises : %(scopes)s.") % {
                "scopes": ", ".join(missing)
            }
            return False
        return True


class IsAuthenticatedUserOrScopedKey(BasePermission):
    """The project default (settings REST_FRAMEWORK).

    A person must be logged in; an API key must carry the view's `required_scopes`,
    and a view that declares none is closed to keys.
    """

    message = _("Authentification requise.")

    def has_permission(self, request, view) -> bool:
        if api_key_of(request) is not None:
            scope_check = HasApiKeyScope()
            allowed = scope_check.has_permission(request, view)
            if not allowed:
                self.message = (
                    scope_check.message
                    if _required_scopes(view)
                    else _("Ce point d'accès n'est pas ouvert aux clés d'API.")
                )
            return allowed
        return bool(request.user and request.user.is_authenticated)
