"""Readiness checks: each returns (ok, detail) and never raises."""

import redis
from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.db import connection


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return False, type(exc).__name__
    return True, "ok"


def check_redis() -> tuple[bool, str]:
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    return True, "ok"


def check_worker() -> tuple[bool, str]:
    """Send a real task through the broker and wait for a worker's answer."""
    from ordre.ops.tasks import ping

    try:
        result = ping.apply_async(
            queue=settings.CELERY_TASK_DEFAULT_QUEUE, expires=settings.READINESS_WORKER_TIMEOUT
        )
        answer = result.get(timeout=settings.READINESS_WORKER_TIMEOUT)
    except CeleryTimeout:
        return False, "no worker answered"
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    return (answer == "pong"), "ok" if answer == "pong" else "unexpected answer"
