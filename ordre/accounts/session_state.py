"""What the session knows about how its user authenticated (no database access).

Keys live in the server-side session. A session is *verified* when its user passed a
second factor (TOTP or backup code) or a login the provider proves strong (Pro Santé
Connect card); `is_session_verified()` is the one check every part of Ordre uses.
"""

import time

from django.conf import settings

STARTED_AT_KEY = "ordre.auth_started_at"
VERIFIED_KEY = "ordre.verified"
REAUTH_AT_KEY = "ordre.reauth_at"
SEEN_AT_KEY = "ordre.seen_at"

# Re-authentication is valid for this many seconds before changing a factor or the e-mail.
REAUTH_WINDOW_SECONDS = 5 * 60


def now() -> float:
    return time.time()


def is_session_verified(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    state = request.session.get(VERIFIED_KEY)
    return bool(state) and state.get("user") == user.pk


def verification_method(request) -> str:
    state = request.session.get(VERIFIED_KEY) or {}
    return state.get("method", "")


def set_verified(request, *, method: str) -> None:
    at = now()
    request.session[VERIFIED_KEY] = {"user": request.user.pk, "method": method, "at": at}
    request.session[REAUTH_AT_KEY] = at


def set_reauthenticated(request) -> None:
    request.session[REAUTH_AT_KEY] = now()


def has_recent_authentication(request) -> bool:
    at = request.session.get(REAUTH_AT_KEY)
    return at is not None and now() - at <= REAUTH_WINDOW_SECONDS


def started_at(request) -> float | None:
    return request.session.get(STARTED_AT_KEY)


def absolute_lifetime_exceeded(request) -> bool:
    start = started_at(request)
    return start is not None and now() - start > settings.SESSION_ABSOLUTE_LIFETIME
