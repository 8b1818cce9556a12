"""Every write of the oidc app: login states, identity links, accounts created at a
first FranceConnect login, and the audit events of logins, refusals and links.

Each service takes the actor first (keyword-only, `None` for an anonymous visitor),
runs in a transaction and records its audit event there. No personal data goes into
the trail: provider keys, reason codes and object ids only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ordre.accounts import roles
from ordre.audit.services import record_event
from ordre.oidc import enums, protocol
from ordre.oidc.conf import (
    LINK_BY_RPPS,
    LINK_CREATE_APPLICANT,
    PROSANTECONNECT,
    ProviderConfig,
)
from ordre.oidc.models import ExternalIdentity, LoginState

User = get_user_model()


class LinkRefused(Exception):
    """The identity is genuine but cannot be used here; `message` is for the person."""

    def __init__(self, reason: str, message):
        super().__init__(reason)
        self.reason = reason
        self.message = message


def binding_hash(binding: str) -> str:
    return hashlib.sha256(binding.encode()).hexdigest()


def _state_ttl() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "OIDC_STATE_TTL", 600)))


# ------------------------------------------------------------------ login states
@transaction.atomic
def login_state_create(
    *,
    actor,
    provider: ProviderConfig,
    purpose: str,
    binding: str,
    redirect_uri: str = "",
    next_url: str = "",
) -> LoginState:
    """A fresh single-use state (with nonce and PKCE verifier) for one round trip."""
    now = timezone.now()
    # Housekeeping: expired states are useless; keep the table small.
    LoginState.objects.filter(expires_at__lt=now - dt.timedelta(days=1)).delete()
    return LoginState.objects.create(
        state=protocol.new_state(),
        provider=provider.key,
        purpose=purpose,
        nonce=protocol.new_nonce() if purpose != LoginState.Purpose.LOGOUT else "",
        code_verifier=protocol.new_code_verifier() if purpose != LoginState.Purpose.LOGOUT else "",
        redirect_uri=redirect_uri,
        next_url=next_url[:500],
        binding_hash=binding_hash(binding),
        user=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=now + _state_ttl(),
    )


@transaction.atomic
def login_state_consume(
    *, provider_key: str, state: str, purposes: tuple[str, ...], binding: str | None
) -> LoginState:
    """Use a state once. Raises `ProtocolError` when it is unknown, used, expired, for
    another provider or purpose, or was started by another browser."""
    row = LoginState.objects.select_for_update().filter(state=state or "-").first()
    if row is None or row.provider != provider_key or row.purpose not in purposes:
        raise protocol.ProtocolError("state_unknown")
    if row.used_at is not None:
        raise protocol.ProtocolError("state_replayed")
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    if row.expires_at <= row.used_at:
        raise protocol.ProtocolError("state_expired")
    if not binding or not hmac.compare_digest(row.binding_hash, binding_hash(binding)):
        raise protocol.ProtocolError("state_other_browser")
    return row


def new_binding() -> str:
    return secrets.token_urlsafe(32)


# ------------------------------------------------------------------ audit of refusals
@transaction.atomic
def refusal_record(*, actor, provider_key: str, reason: str, action: str = enums.LOGIN_REFUSED):
    record_event(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type="oidc.provider",
        target_id=provider_key,
        reason=reason[:200],
    )


# ------------------------------------------------------------------ logins
def rpps_from_claims(claims: dict) -> str | None:
    """The RPPS in Pro Santé Connect's `SubjectNameID` ("8" + 11 digits), or None."""
    value = claims.get("SubjectNameID")
    if isinstance(value, str) and len(value) == 12 and value.startswith("8") and value.isdigit():
        return value[1:]
    return None


def psc_activities(userinfo: dict) -> list[dict]:
    """The practice sites of a Pro Santé Connect identity, from
    `SubjectRefPro.exercices[].activities[]`: profession, savoir-faire, mode of practice,
    FINESS / SIRET of the site (what a hospital scope or the register may need)."""
    activities = []
    reference = userinfo.get("SubjectRefPro")
    exercises = reference.get("exercices") if isinstance(reference, dict) else None
    for exercise in exercises if isinstance(exercises, list) else []:
        if not isinstance(exercise, dict):
            continue
        for activity in exercise.get("activities") or []:
            if not isinstance(activity, dict):
                continue
            activities.append(
                {
                    "profession": str(exercise.get("codeProfession", "")),
                    "savoir_faire": str(exercise.get("codeSavoirFaire", "")),
                    "mode": str(activity.get("codeModeExercice", "")),
                    "finess": str(activity.get("numeroFinessSite", "")),
                    "finess_legal": str(activity.get("numeroFinessetablissementJuridique", "")),
                    "siret": str(activity.get("numeroSiretSite", "")),
                    "site": str(activity.get("raisonSocialeSite", "")),
                }
            )
    return activities


def _create_applicant(claims: dict) -> User:
    """A new applicant account from the identity traits of a first FranceConnect login.

    No password (the person logs in through FranceConnect, then our 2FA); the e-mail
    is kept for contact but never used to find an account.
    """
    username = "fc-" + secrets.token_hex(8)
    user = User(
        username=username,
        first_name=str(claims.get("given_name", ""))[:150],
        last_name=str(claims.get("family_name", ""))[:150],
        email=str(claims.get("email", ""))[:254],
    )
    user.set_unusable_password()
    user.save()
    group, _created = Group.objects.get_or_create(name=roles.APPLICANT)
    user.groups.add(group)
    return user


def _link(*, actor, user: User, provider: ProviderConfig, subject: str) -> ExternalIdentity:
    try:
        with transaction.atomic():
            identity = ExternalIdentity.objects.create(
                user=user, issuer=provider.issuer, subject=subject, provider=provider.key
            )
    except IntegrityError as error:
        raise LinkRefused(
            "already_linked",
            _(
                "Ce compte est déjà lié à une autre identité de ce fournisseur. "
                "Déliez-la d'abord depuis la page « Identités de connexion »."
            ),
        ) from error
    record_event(
        actor=actor,
        action=enums.IDENTITY_LINKED,
        target=identity,
        changes={"provider": [None, provider.key]},
    )
    return identity


@transaction.atomic
def login_complete(*, provider: ProviderConfig, claims: dict, userinfo: dict) -> User:
    """Find (or, per the provider's linking rule, link or create) the user of a verified
    identity, and record the login. Raises `LinkRefused` when no account may be used."""
    subject = claims["sub"]
    identity = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=provider.issuer, subject=subject)
        .first()
    )
    if identity is not None:
        user = identity.user
    elif provider.linking == LINK_BY_RPPS:
        rpps = rpps_from_claims(userinfo) or rpps_from_claims(claims)
        if rpps is None:
            raise LinkRefused(
                "no_rpps",
                _("Votre identité Pro Santé Connect ne comporte pas de numéro RPPS."),
            )
        user = User.objects.filter(rpps=rpps).first()
        if user is None:
            raise LinkRefused(
                "rpps_unknown",
                _(
                    "Aucun compte de l'Ordre ne correspond à votre numéro RPPS. Si vous "
                    "n'êtes pas encore inscrit au tableau, connectez-vous avec FranceConnect "
                    "pour déposer une demande d'inscription."
                ),
            )
        if not user.is_active:
            raise LinkRefused("user_inactive", _("Ce compte est désactivé."))
        identity = _link(actor=user, user=user, provider=provider, subject=subject)
    elif provider.linking == LINK_CREATE_APPLICANT:
        if not userinfo.get("given_name") or not userinfo.get("family_name"):
            raise LinkRefused(
                "identity_incomplete",
                _("Le fournisseur d'identité n'a pas transmis vos nom et prénom."),
            )
        user = _create_applicant(userinfo)
        record_event(
            actor=None,
            action=enums.ACCOUNT_CREATED,
            target=user,
            changes={"role": [None, roles.APPLICANT]},
            reason=provider.key,
        )
        identity = _link(actor=user, user=user, provider=provider, subject=subject)
    else:
        raise LinkRefused(
            "not_linked",
            _(
                "Cette identité n'est liée à aucun compte. Connectez-vous d'abord autrement, "
                "puis liez-la depuis la page « Identités de connexion »."
            ),
        )
    if not user.is_active:
        raise LinkRefused("user_inactive", _("Ce compte est désactivé."))
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    record_event(
        actor=user,
        action=enums.LOGIN_SUCCEEDED,
        target=user,
        reason=f"{provider.key}:{claims.get('acr', '')}"[:200],
    )
    return user


@transaction.atomic
def identity_link(
    *, actor: User, provider: ProviderConfig, claims: dict, userinfo: dict
) -> ExternalIdentity:
    """Link a verified identity to the logged-in `actor` (from the account page)."""
    subject = claims["sub"]
    existing = ExternalIdentity.objects.filter(issuer=provider.issuer, subject=subject).first()
    if existing is not None:
        if existing.user_id == actor.pk:
            return existing
        raise LinkRefused(
            "linked_to_other_user",
            _("Cette identité est déjà liée à un autre compte de l'Ordre."),
        )
    if provider.profile == PROSANTECONNECT or provider.linking == LINK_BY_RPPS:
        rpps = rpps_from_claims(userinfo) or rpps_from_claims(claims)
        if rpps is None or rpps != actor.rpps:
            raise LinkRefused(
                "rpps_mismatch",
                _("Le numéro RPPS de cette identité ne correspond pas à celui de votre compte."),
            )
    return _link(actor=actor, user=actor, provider=provider, subject=subject)


@transaction.atomic
def identity_unlink(*, actor: User, identity: ExternalIdentity) -> None:
    """Remove a link of the actor's own account; refuses to remove the last way in."""
    if identity.user_id != actor.pk:
        raise LinkRefused("not_owner", _("Cette identité n'est pas liée à votre compte."))
    others = ExternalIdentity.objects.filter(user=actor).exclude(pk=identity.pk).exists()
    if not others and not actor.has_usable_password():
        raise LinkRefused(
            "last_login_method",
            _(
                "C'est votre seul moyen de connexion : vous ne pouvez pas le délier tant "
                "que vous n'avez pas d'autre moyen de vous connecter."
            ),
        )
    record_event(
        actor=actor,
        action=enums.IDENTITY_UNLINKED,
        target=identity,
        changes={"provider": [identity.provider, None]},
    )
    identity.delete()


@transaction.atomic
def logout_record(*, actor, provider_key: str, action: str, reason: str = "") -> None:
    record_event(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type="oidc.provider",
        target_id=provider_key,
        reason=reason,
    )
