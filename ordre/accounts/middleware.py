"""Second factor enforcement and session lifetime, for every authenticated request.

Installed right after `django_otp.middleware.OTPMiddleware`. An authenticated session
that has not passed a second factor (or a strong login, see
`services.mark_session_strongly_authenticated`) reaches only the 2FA pages, logout,
static files and the health probes. API calls authenticated by key carry no session
and are not concerned; API calls with an unverified session get a 403.
"""

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ordre.accounts import selectors, services, session_state

TOUCH_EVERY_SECONDS = 60
EXEMPT_PREFIXES = ("/health/", "/ready/", "/metrics/")

_allowed_url_names = {
    "accounts:logout",
    "accounts:otp_enrol",
    "accounts:otp_verify",
    "set_language",
    # The WebAuthn verification ceremony (JSON endpoints and their JavaScript catalog).
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
}


def allow_unverified(url_name: str) -> None:
    """Let sessions that have not passed the second factor reach this URL (by name).

    For pages that must work before 2FA, such as a provider's logout. Call it from an
    `AppConfig.ready()`; keep the list short.
    """
    _allowed_url_names.add(url_name)


def _view_name(path: str) -> str:
    """The namespaced name of the view at `path` (for allowed URLs that take arguments)."""
    try:
        return resolve(path).view_name
    except Resolver404:
        return ""


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def allowed_paths(self) -> frozenset[str]:
        paths = set()
        for name in _allowed_url_names:
            try:
                paths.add(reverse(name))
            except NoReverseMatch:
                continue
        return frozenset(paths)

    @cached_property
    def exempt_prefixes(self) -> tuple[str, ...]:
        return (settings.STATIC_URL, *EXEMPT_PREFIXES)

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request, user):
        session = request.session
        if session.get(session_state.STARTED_AT_KEY) is None:
            # A session opened before tracking existed (or by a test helper).
            session[session_state.STARTED_AT_KEY] = session_state.now()
        elif session_state.absolute_lifetime_exceeded(request):
            services.session_expire(user=user, request=request, reason="absolute_lifetime")
            request.user = AnonymousUser()
            query = urlencode({"next": request.path, "expiree": "1"})
            return redirect(f"{reverse('accounts:login')}?{query}")
        seen = session.get(session_state.SEEN_AT_KEY)
        if seen is None or session_state.now() - seen > TOUCH_EVERY_SECONDS:
            services.session_touch(user=user, request=request)

        path = request.path_info
        if session_state.is_session_verified(request):
            return None
        if (
            path in self.allowed_paths
            or path.startswith(self.exempt_prefixes)
            or _view_name(path) in _allowed_url_names
        ):
            return None
        if path.startswith("/api/"):
            return JsonResponse(
                {
                    "type": "about:blank",
                    "title": _("Double authentification requise"),
                    "status": 403,
                    "detail": _("Cette session n’a pas passé la double authentification."),
                },
                status=403,
                content_type="application/problem+json",
            )
        target = (
            "accounts:otp_verify" if selectors.has_second_factor(user) else "accounts:otp_enrol"
        )
        url = reverse(target)
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return redirect(url)
