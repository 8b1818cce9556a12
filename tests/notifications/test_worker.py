"""Through the real Celery worker on the real broker (`live_worker`, session-wide).

The worker is another process: its outbox is not ours. It writes `sent_at` on the
delivery row, which is what these tests wait for.
"""

import datetime as dt
import time

import pytest
from django.utils import timezone

from ordre.notifications import services
from ordre.notifications.models import EmailDelivery
from ordre.notifications.tasks import send_pending_emails
from tests.notifications.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_sent(delivery_id, timeout=20.0) -> EmailDelivery:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        delivery = EmailDelivery.objects.get(pk=delivery_id)
        if delivery.sent_at is not None:
            return delivery
        time.sleep(0.1)
    raise AssertionError(f"the worker did not send delivery {delivery_id} within {timeout} s")


def test_the_worker_sends_the_email_after_commit(live_worker):
    message = services.notify(
        recipient=UserFactory(),
        template="generic",
        context={"subject": "Bienvenue", "body": "Votre compte est ouvert."},
    )
    delivery = _wait_sent(EmailDelivery.objects.get(message=message).pk)
    assert delivery.attempts == 1 and delivery.last_error == ""


def test_the_sweeper_requeues_a_delivery_whose_task_was_lost(live_worker):
    user = UserFactory()
    # As if the broker had been down at commit time: a delivery row with no task.
    delivery = EmailDelivery.objects.create(
        recipient=user,
        template="generic",
        to_address=user.email,
        subject="Relance",
        body_text="Texte",
        body_html="<p>Texte</p>",
    )
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=30)
    )
    assert send_pending_emails.delay().get(timeout=20) == 1
    assert _wait_sent(delivery.pk).attempts == 1
