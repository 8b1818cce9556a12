"""Reads of the oidc app."""

from ordre.oidc.conf import ProviderConfig, enabled_providers
from ordre.oidc.enums import LOGIN_SESSION_KEY
from ordre.oidc.models import ExternalIdentity


def identities_of(user) -> list[ExternalIdentity]:
    """The provider identities linked to `user` (their own account page only)."""
    return list(ExternalIdentity.objects.filter(user=user).order_by("provider", "created_at"))


def identity_for(*, issuer: str, subject: str) -> ExternalIdentity | None:
    return (
        ExternalIdentity.objects.select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )


def enabled_provider_list() -> list[ProviderConfig]:
    return enabled_providers()


def login_activities(request) -> list[dict]:
    """Practice sites (profession, savoir-faire, mode, FINESS, SIRET) declared by the
    provider at this session's login (Pro Santé Connect), else an empty list."""
    return list((request.session.get(LOGIN_SESSION_KEY) or {}).get("activities") or [])
