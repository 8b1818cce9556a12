"""Thin Celery tasks of the council sync: each loads by id and calls one service."""

import random

from celery import group, shared_task
from django.conf import settings
from django.utils import timezone

from ordre.accounts.roles import IT_ADMIN
from tableau.sync import selectors, services


@shared_task(name="tableau_sync.deliver", bind=True, acks_late=True, max_retries=8)
def deliver(self, council_code: str, run_id: str | None = None) -> dict:
    """Push a council's unacknowledged changes. Safe to run twice: positions only move
    forward and a batch is resent with the same idempotency key until acknowledged.
    Retried with exponential backoff; the run closes when no retry is left to come."""
    try:
        delivery = services.deliver_push(council_code=council_code, run_id=run_id)
    except services.DeliveryError as exc:
        if self.request.retries < self.max_retries:
            base = settings.COUNCIL_SYNC_RETRY_BASE_SECONDS
            countdown = min(base * 2**self.request.retries, 3600) * random.uniform(0.8, 1.2)  # noqa: S311
            raise self.retry(exc=exc, countdown=countdown) from exc
        if exc.delivery_id:
            services.delivery_give_up(delivery_id=exc.delivery_id)
        if run_id:
            services.run_finish_if_done(run_id=run_id)
        raise
    if run_id:
        services.run_finish_if_done(run_id=run_id)
    return {"council": council_code, "status": delivery.status, "changes": delivery.changes}


@shared_task(name="tableau_sync.run_nightly", acks_late=True)
def run_nightly(council_code: str | None = None, trigger: str = "schedule") -> str:
    """Fan out one delivery per pushed council (a Celery group): one council's failure
    never blocks the others. Pull-only councils fetch through the API."""
    codes = [f.council_id for f in selectors.feeds_to_run(council_code).exclude(push_url="")]
    run = services.run_start(trigger=trigger, councils=len(codes))
    if codes:
        group(deliver.s(code, str(run.pk)) for code in codes).apply_async()
    else:
        services.run_finish_if_done(run_id=run.pk)
    return str(run.pk)


@shared_task(name="tableau_sync.check_lagging", acks_late=True)
def check_lagging() -> int:
    from django.contrib.auth import get_user_model

    admins = list(get_user_model().objects.filter(groups__name=IT_ADMIN, is_active=True))
    lagging = selectors.lagging_feeds(now=timezone.now())
    for feed in lagging:
        services.alert_lagging(feed=feed, recipients=admins)
    return len(lagging)
