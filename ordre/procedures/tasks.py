"""Thin Celery tasks of the dossier engine."""

from celery import shared_task

from ordre.audit.actors import SystemActor
from ordre.procedures.services import refuse_overdue_dossiers


@shared_task(
    name="procedures.refuse_overdue",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def refuse_overdue() -> int:
    """Silence means refusal: decide every overdue dossier (idempotent, safe to run twice)."""
    return refuse_overdue_dossiers(actor=SystemActor("task:procedures.refuse_overdue"))
