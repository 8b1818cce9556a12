"""A per-client rate limit for the public pages, counted in the shared cache."""

import time

from django.conf import settings
from django.core.cache import cache


def client_key(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def allow(request, *, scope: str) -> bool:
    """True while the client stays under `DIRECTORY_PAGE_RATE` requests per minute."""
    limit = settings.DIRECTORY_PAGE_RATE
    window = int(time.time() // 60)
    key = f"ratelimit:{scope}:{client_key(request)}:{window}"
    if cache.add(key, 1, timeout=70):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
    return count <= limit
