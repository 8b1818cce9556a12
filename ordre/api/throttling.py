"""Throttles: anonymous visitors by address, people by account, machine clients by key.

Rates are the scopes `anon`, `user` and `api_key` of
`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`. Counters live in the default cache (Redis),
so they hold across processes. A throttled request gets a 429 problem with
`Retry-After`.
"""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from ordre.api.authentication import api_key_of


class AnonymousRateThrottle(AnonRateThrottle):
    """Requests with neither a session nor a key, by client address."""

    def get_cache_key(self, request, view):
        if api_key_of(request) is not None:
            return None
        return super().get_cache_key(request, view)


class UserRateThrottle(SimpleRateThrottle):
    """Logged-in people, by account (API keys have their own throttle)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if api_key_of(request) is not None or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Machine clients, by key."""

    scope = "api_key"

    def get_cache_key(self, request, view):
        key = api_key_of(request)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.pk}
