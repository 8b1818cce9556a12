"""Celery tasks of the accounts app: thin, idempotent."""

from celery import shared_task

from ordre.accounts import services
from ordre.audit.actors import SystemActor


@shared_task(name="accounts.close_stale_sessions", acks_late=True)
def close_stale_sessions() -> int:
    """Close tracked sessions that expired (idle timeout) without a logout: run by beat."""
    return services.sessions_close_stale(actor=SystemActor("task:accounts.close_stale_sessions"))
