"""Celery tasks of the notifications: thin, idempotent, retried with backoff."""

import datetime as dt
from smtplib import SMTPException, SMTPRecipientsRefused

from celery import shared_task

from ordre.notifications import selectors, services


@shared_task(
    name="notifications.send_email",
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    dont_autoretry_for=(SMTPRecipientsRefused,),  # a refused address will not heal
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=10,
)
def send_email_task(delivery_id: str) -> bool:
    """Send one `EmailDelivery`; a second run of the same id sends nothing."""
    return services.send_email_delivery(delivery_id=delivery_id)


@shared_task(name="notifications.send_pending", acks_late=True)
def send_pending_emails() -> int:
    """Requeue e-mails whose task never ran (broker down at commit time): run by beat."""
    pending = selectors.pending_deliveries(
        older_than=dt.timedelta(minutes=10), newer_than=dt.timedelta(days=3)
    ).values_list("id", flat=True)[:1000]
    count = 0
    for delivery_id in pending:
        send_email_task.delay(str(delivery_id))
        count += 1
    return count
