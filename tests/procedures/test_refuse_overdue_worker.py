"""The legal clock through the real worker and broker, and its beat schedule."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from ordre.audit.models import AuditEvent
from ordre.notifications.models import InboxMessage
from ordre.procedures import services
from ordre.procedures.enums import DossierState
from ordre.procedures.models import Dossier
from ordre.procedures.tasks import refuse_overdue
from tests.procedures import factories


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_refuse_overdue_through_the_real_worker(live_worker):
    factories.register_test_kind()
    applicant = factories.make_applicant()
    clerk = factories.make_clerk("75")
    dossier = services.dossier_create(actor=applicant, kind=factories.TEST_KIND, council="75")
    services.dossier_add_piece(
        actor=applicant,
        dossier=dossier,
        code="identity",
        document=factories.make_document(applicant),
    )
    services.dossier_submit(actor=applicant, dossier=dossier)
    services.dossier_mark_complete(actor=clerk, dossier=dossier)
    Dossier.objects.filter(pk=dossier.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    refuse_overdue.delay()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        dossier.refresh_from_db()
        if dossier.state == DossierState.IMPLICITLY_REFUSED:
            break
        time.sleep(0.1)
    assert dossier.state == DossierState.IMPLICITLY_REFUSED
    assert dossier.appeal_deadline > timezone.now() + timedelta(days=29)
    event = AuditEvent.objects.get(action="procedures.dossier.refuse_implicitly")
    assert event.actor_label == "task:procedures.refuse_overdue" and event.task_id
    assert InboxMessage.objects.filter(
        recipient=applicant, template="procedures/dossier_implicitly_refused"
    ).exists()
    # A second run changes nothing.
    assert refuse_overdue.delay().get(timeout=20) == 0


@pytest.mark.django_db
def test_refuse_overdue_is_in_the_beat_schedule():
    from importlib import import_module

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = import_module("ordre.procedures.migrations.0002_refuse_overdue_schedule")
    if not PeriodicTask.objects.filter(task="procedures.refuse_overdue").exists():
        # A transactional test elsewhere flushed the migrated row: replay the migration.
        migration.schedule(apps, None)
    migration.schedule(apps, None)  # idempotent
    task = PeriodicTask.objects.get(task="procedures.refuse_overdue")
    assert task.enabled and task.crontab.minute == "7"
