import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from ordre.accounts.models import UserSession
from ordre.accounts.tasks import close_stale_sessions
from ordre.audit.models import AuditEvent


@pytest.mark.django_db(transaction=True)
def test_stale_sessions_are_closed_by_the_worker(client, make_user, live_worker):
    user = make_user("stale")
    client.force_login(user)
    key = client.session.session_key
    other = make_user("fresh")
    client_fresh = type(client)()
    client_fresh.force_login(other)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(minutes=1)
    )
    assert close_stale_sessions.delay().get(timeout=30) == 1
    assert UserSession.objects.get(session_key=key).end_reason == "expired"
    assert not Session.objects.filter(session_key=key).exists()
    assert UserSession.objects.get(user=other).ended_at is None
    assert AuditEvent.objects.filter(action="accounts.sessions.closed_stale").exists()
    # Twice is harmless.
    assert close_stale_sessions.delay().get(timeout=30) == 0


@pytest.mark.django_db
def test_the_task_is_scheduled():
    task = PeriodicTask.objects.get(task="accounts.close_stale_sessions")
    assert task.enabled and task.interval.every == 1
