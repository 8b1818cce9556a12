"""Every write of the accounts app: second factors, sessions, user state.

Each service takes the actor first (keyword-only), runs in a transaction and records
its audit event there. Services that act on the current login take the `request`
because the state they change lives in the server-side session.
"""

import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ordre.accounts import session_state
from ordre.accounts.models import (
    BackupCode,
    CouncilMembership,
    CouncilRole,
    User,
    UserSession,
)
from ordre.audit.actors import SystemActor
from ordre.audit.services import record_event

BACKUP_CODE_COUNT = 10
BACKUP_CODE_LENGTH = 10
# No 0/O, 1/I/L: codes are read from paper.
BACKUP_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TOTP_DEVICE_NAME = "Application d’authentification"
OTP_MAX_FAILURES = 10
OTP_FAILURE_WINDOW = 15 * 60
USER_AGENT_MAX = 300


# --- Backup codes -----------------------------------------------------------------


def normalize_backup_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def _backup_code_hash(user: User, code: str) -> str:
    value = f"{user.pk}:{normalize_backup_code(code)}"
    return salted_hmac("ordre.accounts.backup_code", value, algorithm="sha256").hexdigest()


def _format_backup_code(raw: str) -> str:
    half = len(raw) // 2
    return f"{raw[:half]}-{raw[half:]}"


@transaction.atomic
def backup_codes_regenerate(*, actor, user: User) -> list[str]:
    """Replace the user's backup codes by 10 new ones; return them (shown once)."""
    BackupCode.objects.filter(user=user).delete()
    codes = [
        _format_backup_code(
            "".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
        )
        for _ in range(BACKUP_CODE_COUNT)
    ]
    BackupCode.objects.bulk_create(
        BackupCode(user=user, code_hash=_backup_code_hash(user, code)) for code in codes
    )
    record_event(actor=actor, action="accounts.backup_codes.regenerated", target=user)
    return codes


def backup_code_set(*, user: User, code: str) -> None:
    """Add one given backup code (demo data only: codes must otherwise be random)."""
    BackupCode.objects.update_or_create(
        user=user, code_hash=_backup_code_hash(user, code), defaults={"used_at": None}
    )


def _use_backup_code(user: User, code: str) -> bool:
    """Consume a backup code: a single UPDATE, so a code works once even under races."""
    code_hash = _backup_code_hash(user, code)
    used = BackupCode.objects.filter(user=user, code_hash=code_hash, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    return used == 1


# --- TOTP ---------------------------------------------------------------------------


@transaction.atomic
def totp_enrolment_start(*, actor: User) -> TOTPDevice:
    """The pending (unconfirmed) TOTP device of the user, created when missing."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _verify_totp(device: TOTPDevice, token: str) -> bool:
    token = "".join(c for c in token if c.isdigit())
    if not token:
        return False
    return bool(device.verify_token(token))


@transaction.atomic
def totp_enrolment_confirm(*, actor: User, request, token: str) -> list[str] | None:
    """Confirm the pending device with a code from the app.

    On success, the new device replaces any previous one, the session becomes verified,
    10 new backup codes are generated and returned (to be shown once). None on a wrong
    code.
    """
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=actor, confirmed=False)
        .order_by("-id")
        .first()
    )
    if device is None or not _verify_totp(device, token):
        record_event(actor=actor, action="accounts.otp.failed", target=actor, reason="enrolment")
        return None
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_event(actor=actor, action="accounts.totp.enrolled", target=actor)
    codes = backup_codes_regenerate(actor=actor, user=actor)
    _mark_verified(request, method="totp", device=device)
    return codes


def _mark_verified(request, *, method: str, device=None) -> None:
    """Verified session: a new session id (privilege change), then the flags."""
    old_key = request.session.session_key
    request.session.cycle_key()
    new_key = request.session.session_key
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)
    if device is not None:
        otp_login(request, device)
    session_state.set_verified(request, method=method)


def _failures_key(user: User) -> str:
    # date_joined keeps keys apart between databases sharing one cache (tests).
    return f"accounts:otp-failures:{user.pk}:{int(user.date_joined.timestamp())}"


def otp_attempts_blocked(user: User) -> bool:
    return cache.get(_failures_key(user), 0) >= OTP_MAX_FAILURES


@transaction.atomic
def otp_verify(*, actor: User, request, token: str) -> str | None:
    """Check a second-factor code (TOTP, else a backup code) for the current session.

    Returns the method that succeeded ("totp" or "backup_code"), or None. After
    OTP_MAX_FAILURES failures within OTP_FAILURE_WINDOW seconds every code is refused
    until the window has passed (besides django-otp's own TOTP throttling).
    """
    if otp_attempts_blocked(actor):
        record_event(actor=actor, action="accounts.otp.failed", target=actor, reason="blocked")
        return None
    method = _otp_check(actor=actor, request=request, token=token)
    key = _failures_key(actor)
    if method is None:
        cache.add(key, 0, OTP_FAILURE_WINDOW)
        cache.incr(key)
    else:
        cache.delete(key)
    return method


def _otp_check(*, actor: User, request, token: str) -> str | None:
    token = token.strip()
    device = TOTPDevice.objects.filter(user=actor, confirmed=True).order_by("-id").first()
    digits = "".join(c for c in token if c.isdigit())
    if device is not None and digits == token.replace(" ", "") and len(digits) == device.digits:
        if _verify_totp(device, token):
            _mark_verified(request, method="totp", device=device)
            record_event(actor=actor, action="accounts.otp.verified", target=actor, reason="totp")
            return "totp"
    elif len(normalize_backup_code(token)) == BACKUP_CODE_LENGTH and _use_backup_code(actor, token):
        _mark_verified(request, method="backup_code")
        record_event(actor=actor, action="accounts.backup_code.used", target=actor)
        record_event(
            actor=actor, action="accounts.otp.verified", target=actor, reason="backup_code"
        )
        return "backup_code"
    elif device is not None:
        # A wrong backup code also counts against the TOTP throttle.
        device.throttle_increment()
    record_event(actor=actor, action="accounts.otp.failed", target=actor, reason="verification")
    return None


@transaction.atomic
def mark_session_strongly_authenticated(request, *, method: str) -> None:
    """Mark the current session as having passed strong authentication (e.g. a Pro Santé
    Connect card login, `method="psc"`): the 2FA middleware lets it through.

    Call it after `django.contrib.auth.login()`.
    """
    user = request.user
    if not user.is_authenticated:
        raise ValueError("the session has no authenticated user")
    _mark_verified(request, method=method)
    record_event(
        actor=user, action="accounts.session.strongly_authenticated", target=user, reason=method
    )


@transaction.atomic
def reauthenticate(*, actor: User, request, password: str = "", token: str = "") -> bool:
    """Prove again who one is (password, or a TOTP code) before a sensitive change.

    Returns False on a wrong password or code (the failure is audited)."""
    ok = False
    if password:
        ok = authenticate(request, username=actor.get_username(), password=password) is not None
        method = "password"
    else:
        method = "totp"
        device = TOTPDevice.objects.filter(user=actor, confirmed=True).first()
        ok = device is not None and _verify_totp(device, token)
    if not ok:
        record_event(actor=actor, action="accounts.reauth.failed", target=actor, reason=method)
        return False
    session_state.set_reauthenticated(request)
    record_event(actor=actor, action="accounts.reauth.succeeded", target=actor, reason=method)
    return True


@transaction.atomic
def second_factors_reset(*, actor, user: User, reason: str = "") -> None:
    """Remove every second factor of a user who lost them (IT admin, after checking who
    asks): TOTP devices, security keys, backup codes; their sessions end. At the next
    login they enrol again."""
    from django_otp_webauthn.models import WebAuthnCredential

    TOTPDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()
    BackupCode.objects.filter(user=user).delete()
    record_event(actor=actor, action="accounts.second_factors.reset", target=user, reason=reason)
    sessions_end_all(actor=actor, user=user, reason="second_factors_reset")


# --- Profile and user state ----------------------------------------------------------


@transaction.atomic
def profile_update(*, actor: User, user: User, first_name: str, last_name: str, email: str):
    changes = {}
    for field, value in (("first_name", first_name), ("last_name", last_name), ("email", email)):
        if getattr(user, field) != value:
            # Only the field names: names and e-mails are personal data.
            changes[field] = ["(modifié)", "(modifié)"]
            setattr(user, field, value)
    if changes:
        user.save(update_fields=list(changes))
        record_event(actor=actor, action="accounts.profile.updated", target=user, changes=changes)
    return user


@transaction.atomic
def disable_user(*, actor, user: User, reason: str = "") -> User:
    """Disable an account: it can no longer log in, and all its sessions end."""
    # Sessions first, so the audit trail names the actor rather than the save signal.
    sessions_end_all(actor=actor, user=user, reason="user_disabled")
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        record_event(
            actor=actor,
            action="accounts.user.disabled",
            target=user,
            changes={"is_active": [True, False]},
            reason=reason,
        )
    return user


@transaction.atomic
def role_grant(*, actor, user: User, role: str, reason: str = "") -> bool:
    """Give a role (group) to a user; True when it was new."""
    from django.contrib.auth.models import Group

    from ordre.accounts.roles import ALL_ROLES

    if role not in ALL_ROLES:
        raise ValueError(f"unknown role {role!r}")
    group = Group.objects.get(name=role)
    if user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.add(group)
    record_event(
        actor=actor,
        action="accounts.role.granted",
        target=user,
        changes={"role": [None, role]},
        reason=reason,
    )
    return True


@transaction.atomic
def role_revoke(*, actor, user: User, role: str, reason: str = "") -> bool:
    """Take a role (group) away from a user; True when they had it."""
    removed = user.groups.filter(name=role)
    if not removed.exists():
        return False
    user.groups.remove(*removed)
    record_event(
        actor=actor,
        action="accounts.role.revoked",
        target=user,
        changes={"role": [role, None]},
        reason=reason,
    )
    return True


@transaction.atomic
def user_link_rpps(*, actor, user: User, rpps: str) -> User:
    """Record the RPPS number of a user (a doctor entered in the register): Pro Santé
    Connect logins are then linked to this account by their `SubjectNameID`."""
    if user.rpps == rpps:
        return user
    if user.rpps:
        raise ValueError("this account already carries another RPPS number")
    user.rpps = rpps
    user.full_clean(exclude=[f.name for f in User._meta.fields if f.name != "rpps"])
    user.save(update_fields=["rpps"])
    # An RPPS number is a public identifier of the professional: it may be traced.
    record_event(
        actor=actor, action="accounts.user.rpps_linked", target=user, changes={"rpps": [None, rpps]}
    )
    return user


# --- Sessions ------------------------------------------------------------------------


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@transaction.atomic
def session_opened(*, user: User, request) -> UserSession | None:
    """Track the session the user just logged into (called on `user_logged_in`)."""
    session = request.session
    if session.session_key is None:
        session.save()
    session[session_state.STARTED_AT_KEY] = session_state.now()
    session[session_state.REAUTH_AT_KEY] = session_state.now()
    session[session_state.SEEN_AT_KEY] = session_state.now()
    user_session, _ = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip": _client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
            "ended_at": None,
            "end_reason": "",
        },
    )
    backend = getattr(user, "backend", "") or ""
    record_event(
        actor=user,
        action="accounts.login.succeeded",
        target=user,
        reason=backend.rsplit(".", 1)[-1],
    )
    return user_session


def session_touch(*, user: User, request) -> None:
    """Refresh the tracked session's last activity (called at most once a minute)."""
    key = request.session.session_key
    if not key:
        return
    updated = UserSession.objects.filter(session_key=key, ended_at__isnull=True).update(
        last_seen_at=timezone.now()
    )
    if not updated:
        UserSession.objects.update_or_create(
            session_key=key,
            defaults={
                "user": user,
                "ip": _client_ip(request),
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
                "ended_at": None,
            },
        )
    request.session[session_state.SEEN_AT_KEY] = session_state.now()


def _end(user_session: UserSession, reason: str) -> None:
    _session_store()(session_key=user_session.session_key).delete()
    user_session.ended_at = timezone.now()
    user_session.end_reason = reason
    user_session.save(update_fields=["ended_at", "end_reason"])


@transaction.atomic
def session_end(*, actor, user_session: UserSession, reason: str = "revoked") -> None:
    """End one session: it is deleted from the session store, so its cookie is worthless."""
    if user_session.ended_at is None:
        _end(user_session, reason)
        record_event(
            actor=actor, action="accounts.session.ended", target=user_session, reason=reason
        )


@transaction.atomic
def sessions_end_all(
    *, actor, user: User, except_session_key: str | None = None, reason: str = "revoked"
) -> int:
    """End every open session of `user`, except the one given; returns how many."""
    rows = UserSession.objects.select_for_update().filter(user=user, ended_at__isnull=True)
    if except_session_key:
        rows = rows.exclude(session_key=except_session_key)
    count = 0
    for user_session in rows:
        _end(user_session, reason)
        count += 1
    if count:
        record_event(
            actor=actor,
            action="accounts.sessions.ended",
            target=user,
            changes={"count": [None, count]},
            reason=reason,
        )
    return count


@transaction.atomic
def session_logged_out(*, user: User | None, request) -> None:
    """Called on `user_logged_out`: the session store entry is flushed by Django."""
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason="logout"
        )
    if user is not None:
        record_event(actor=user, action="accounts.session.logged_out", target=user)


@transaction.atomic
def session_expire(*, user: User, request, reason: str) -> None:
    """End the current session because it outlived a limit (absolute lifetime)."""
    key = request.session.session_key
    UserSession.objects.filter(session_key=key, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason
    )
    request.session.flush()
    record_event(
        actor=SystemActor("middleware:session-lifetime"),
        action="accounts.session.expired",
        target=user,
        reason=reason,
    )


# --- Login failures -----------------------------------------------------------------


@transaction.atomic
def login_failed(*, username: str, request) -> None:
    user = User.objects.filter(username=username).first() if username else None
    record_event(
        actor=None,
        action="accounts.login.failed",
        target=user,
        target_type="" if user else "accounts.user",
    )


@transaction.atomic
def login_locked_out(*, username: str, request) -> None:
    user = User.objects.filter(username=username).first() if username else None
    record_event(
        actor=SystemActor("axes"),
        action="accounts.login.locked_out",
        target=user,
        target_type="" if user else "accounts.user",
    )


# --- Scopes ---------------------------------------------------------------------------


@transaction.atomic
def council_membership_add(
    *, actor, user: User, council_code: str, role: str = CouncilRole.CLERK, since=None
) -> CouncilMembership:
    """Attach `user` to a council (idempotent for the same council and role)."""
    membership, created = CouncilMembership.objects.get_or_create(
        user=user,
        council_id=council_code,
        role=role,
        defaults={"since": since or timezone.localdate()},
    )
    if created:
        record_event(
            actor=actor,
            action="accounts.council_membership.added",
            target=membership,
            changes={"council": [None, council_code], "role": [None, role]},
        )
    return membership


@transaction.atomic
def council_membership_remove(*, actor, membership: CouncilMembership) -> None:
    record_event(
        actor=actor,
        action="accounts.council_membership.removed",
        target=membership,
        changes={"council": [membership.council_id, None], "role": [membership.role, None]},
    )
    membership.delete()


@transaction.atomic
def sessions_close_stale(*, actor) -> int:
    """Close the tracked sessions whose server session expired or vanished, and purge
    expired sessions from the store. Run hourly by beat; safe to run twice."""
    from django.contrib.sessions.models import Session

    live = Session.objects.filter(
        session_key=models.OuterRef("session_key"), expire_date__gt=timezone.now()
    )
    count = (
        UserSession.objects.filter(ended_at__isnull=True)
        .exclude(models.Exists(live))
        .update(ended_at=timezone.now(), end_reason="expired")
    )
    _session_store().clear_expired()
    if count:
        record_event(
            actor=actor,
            action="accounts.sessions.closed_stale",
            target_type="accounts.usersession",
            changes={"count": [None, count]},
        )
    return count


@transaction.atomic
def webauthn_verified(*, actor: User, request, device) -> None:
    """A security key or passkey passed the WebAuthn ceremony for the current session."""
    _mark_verified(request, method="webauthn", device=device)
    record_event(actor=actor, action="accounts.otp.verified", target=actor, reason="webauthn")


@transaction.atomic
def password_change(*, actor: User, request, new_password: str) -> int:
    """Set a new password (already validated by the form); the current session stays,
    every other session of the user ends. Returns how many other sessions ended."""
    from django.contrib.auth import update_session_auth_hash

    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    old_key = request.session.session_key
    update_session_auth_hash(request, actor)  # cycles the session id
    UserSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)
    record_event(actor=actor, action="accounts.password.changed", target=actor)
    return sessions_end_all(
        actor=actor,
        user=actor,
        except_session_key=request.session.session_key,
        reason="password_changed",
    )
