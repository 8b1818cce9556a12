"""Authentication of machine clients by API key: `Authorization: Api-Key <key>`."""

from dataclasses import dataclass

import structlog
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from ordre.api.keys import parse_prefix, token_matches
from ordre.api.models import ApiKey
from ordre.api.services import note_api_key_use
from ordre.audit.actors import SystemActor

logger = structlog.get_logger(__name__)

KEYWORD = "Api-Key"


@dataclass(frozen=True, eq=False)
class ApiClient(SystemActor):
    """The `request.user` of a request authenticated by an API key.

    It is not a `User`: it has no roles, no permissions and no session. What it may do
    is given by the scopes of its key (`request.auth`), checked by the permissions of
    `ordre.api.permissions`. It is a `SystemActor` labelled `api-key:<name>`, so a
    view can pass `request.user` as the actor of a service and the audit trail
    records the key.
    """

    key: ApiKey | None = None

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    @classmethod
    def for_key(cls, key: ApiKey) -> "ApiClient":
        return cls(label=f"api-key:{key.name}"[:150], key=key)

    def __str__(self) -> str:
        return self.label

    @property
    def username(self) -> str:
        return self.label

    def get_username(self) -> str:
        return self.label

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def has_perms(self, perm_list, obj=None) -> bool:
        return False

    def has_module_perms(self, app_label) -> bool:
        return False


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key ordre_<prefix>_<secret>`.

    The key is found by its prefix, then its SHA-256 is compared in constant time with
    the stored one. Revoked and expired keys are refused. Without this header, the
    class steps aside (returns None) so session authentication can apply.
    """

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("En-tête Api-Key mal formé."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Clé d'API non valide.")) from None
        prefix = parse_prefix(token)
        key = ApiKey.objects.filter(prefix=prefix).first() if prefix else None
        if key is None or not token_matches(token, key.hashed_secret):
            logger.warning("api_key.refused", reason="invalid", prefix=prefix)
            raise AuthenticationFailed(_("Clé d'API non valide."))
        now = timezone.now()
        if key.is_revoked():
            logger.warning("api_key.refused", reason="revoked", prefix=prefix)
            raise AuthenticationFailed(_("Cette clé d'API a été révoquée."))
        if key.is_expired(now=now):
            logger.warning("api_key.refused", reason="expired", prefix=prefix)
            raise AuthenticationFailed(_("Cette clé d'API a expiré."))
        note_api_key_use(key=key, now=now)
        return ApiClient.for_key(key), key

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to an unauthenticated request.
        return f'{KEYWORD} realm="api"'


def api_key_of(request) -> ApiKey | None:
    """The API key that authenticated this DRF request, if any."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiKey) else None
