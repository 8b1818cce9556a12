"""Liveness, readiness and metrics endpoints for the operators."""

import ipaddress

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache

from ordre.ops import checks
from ordre.ops.metrics import exposition


@never_cache
def health(request):
    """The process is alive and answers HTTP."""
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request):
    """The platform can serve: database, Redis and a Celery worker all answer."""
    results = {
        "database": checks.check_database(),
        "redis": checks.check_redis(),
    }
    # Without Redis no task can reach a worker: do not wait for the timeout.
    results["worker"] = (
        checks.check_worker() if results["redis"][0] else (False, "redis unavailable")
    )
    ok = all(passed for passed, _ in results.values())
    body = {
        "status": "ok" if ok else "unavailable",
        "checks": {
            name: {"ok": passed, "detail": detail} for name, (passed, detail) in results.items()
        },
    }
    return JsonResponse(body, status=200 if ok else 503)


def _client_allowed(request) -> bool:
    try:
        client = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        client in ipaddress.ip_network(allowed, strict=False)
        for allowed in settings.METRICS_ALLOWED_IPS
    )


@never_cache
def metrics(request):
    """Prometheus exposition, only for the configured scraper addresses."""
    if not _client_allowed(request):
        return HttpResponseForbidden("forbidden")
    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type)
