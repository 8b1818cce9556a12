"""Reads of the accounts app, scoped to the user who asks."""

from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from ordre.accounts.models import BackupCode, CouncilMembership, User, UserSession


def active_sessions_of(user: User):
    """The user's sessions that still exist in the session store and have not expired."""
    live = Session.objects.filter(
        session_key=OuterRef("session_key"), expire_date__gt=timezone.now()
    )
    return (
        UserSession.objects.filter(user=user, ended_at__isnull=True)
        .filter(Exists(live))
        .order_by("-last_seen_at")
    )


def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_remaining(user: User) -> int:
    return BackupCode.objects.filter(user=user, used_at__isnull=True).count()


def webauthn_count(user: User) -> int:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).count()


def has_webauthn(user: User) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def has_second_factor(user: User) -> bool:
    """True when the user has enrolled a factor: verification, not enrolment, applies."""
    return has_totp(user) or has_webauthn(user) or backup_codes_remaining(user) > 0


def council_codes_of(user: User) -> list[str]:
    """Codes of the councils the user works for (the scope of a clerk)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted(
        CouncilMembership.objects.filter(user=user).values_list("council_id", flat=True).distinct()
    )


def council_members(council_code, *, roles=None):
    """Active users with a membership of the council (optionally in one of `roles`,
    `CouncilRole` values), sorted by name: the people a dossier may be assigned to.

    `council_code`: a code, or several (members of any of them)."""
    if isinstance(council_code, str):
        memberships = CouncilMembership.objects.filter(council_id=council_code)
    else:
        memberships = CouncilMembership.objects.filter(council_id__in=list(council_code))
    memberships = memberships.filter(user=OuterRef("pk"))
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return (
        User.objects.filter(is_active=True)
        .filter(Exists(memberships))
        .order_by("last_name", "first_name", "username")
    )


def councils_of(user: User):
    """The councils the user works for, as a queryset of `councils.Council`."""
    from ordre.councils.selectors import council_list

    return council_list(include_inactive=True).filter(
        pk__in=CouncilMembership.objects.filter(user=user).values("council_id")
    )
