"""Writes of the api app: issue and revoke API keys, note their use."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ordre.api.keys import GeneratedKey, demo_key, generate_key
from ordre.api.models import ApiKey
from ordre.api.scopes import is_known_scope
from ordre.audit.services import record_event
from ordre.councils.models import Council
from ordre.councils.selectors import get_council

# `last_used_at` is written at most once per this interval for a key.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedApiKey:
    key: ApiKey
    secret: str  # `ordre_<prefix>_<secret>`: show it once, it is stored nowhere


def _user_or_none(actor):
    return actor if isinstance(actor, get_user_model()) else None


@transaction.atomic
def issue_api_key(
    *,
    actor,
    name: str,
    scopes: list[str],
    owner: str = "",
    council_code: str = "",
    expires_at=None,
    _generated: GeneratedKey | None = None,
) -> IssuedApiKey:
    """Create a key and return it with its clear secret, which is never stored.

    `_generated` is for `restore_demo_api_key` only: a key made elsewhere.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Le nom de la clé est obligatoire.")})
    scopes = sorted(set(scopes))
    unknown = [scope for scope in scopes if not is_known_scope(scope)]
    if unknown:
        raise ValidationError(
            {"scopes": _("Portées inconnues : %(scopes)s.") % {"scopes": ", ".join(unknown)}}
        )
    if council_code:
        try:
            council_code = get_council(council_code).code
        except Council.DoesNotExist:
            raise ValidationError({"council_code": _("Conseil inconnu.")}) from None
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("La date d'expiration doit être future.")})
    if ApiKey.objects.filter(name=name).exists():
        raise ValidationError({"name": _("Une clé porte déjà ce nom.")})
    generated = _generated or generate_key()
    key = ApiKey.objects.create(
        name=name,
        owner=owner,
        prefix=generated.prefix,
        hashed_secret=generated.hashed,
        scopes=scopes,
        council_code=council_code,
        expires_at=expires_at,
        created_by=_user_or_none(actor),
    )
    record_event(
        actor=actor,
        action="api.key.issued",
        target=key,
        changes={"scopes": [None, scopes], "council_code": [None, council_code]},
    )
    return IssuedApiKey(key=key, secret=generated.token)


@transaction.atomic
def revoke_api_key(*, actor, key: ApiKey, reason: str = "") -> ApiKey:
    """Revoke a key at once; revoking a revoked key changes nothing and records nothing."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        return key
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    record_event(actor=actor, action="api.key.revoked", target=key, reason=reason)
    return key


def note_api_key_use(*, key: ApiKey, now=None) -> None:
    """Record that the key was used, at most once a minute (one conditional UPDATE).

    Not audited: it is usage telemetry, written on the hot path of every request.
    """
    now = now or timezone.now()
    threshold = now - LAST_USED_RESOLUTION
    if key.last_used_at is not None and key.last_used_at > threshold:
        return
    ApiKey.objects.filter(pk=key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=threshold)
    ).update(last_used_at=now)
    key.last_used_at = now


def restore_demo_api_key(*, actor, name: str, scopes: list[str], council_code: str = "") -> str:
    """Demonstration data: a key whose secret derives from its name, (re)created usable
    with these scopes. Refused in production. Returns the key."""
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("demonstration API keys are refused in production")
    generated = demo_key(name)
    existing = ApiKey.objects.filter(Q(name=name) | Q(prefix=generated.prefix)).first()
    if existing is not None:
        if (
            existing.hashed_secret == generated.hashed
            and existing.revoked_at is None
            and existing.scopes == sorted(set(scopes))
        ):
            return generated.token
        existing.delete()  # demonstration data only
    issue_api_key(
        actor=actor,
        name=name,
        scopes=scopes,
        owner="Démonstration",
        council_code=council_code,
        _generated=generated,
    )
    return generated.token
