import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from ordre.audit.actors import SystemActor
from ordre.audit.chain import GENESIS_HASH
from ordre.audit.context import audit_context
from ordre.audit.models import AuditEvent
from ordre.audit.selectors import verify_chain
from ordre.audit.services import AuditOutsideTransaction, record_event

SYSTEM = SystemActor("test:audit")


def _record(n=1, **kwargs):
    with transaction.atomic():
        return [
            record_event(actor=SYSTEM, action="tests.thing.done", target_id=i, **kwargs)
            for i in range(n)
        ]


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(AuditOutsideTransaction):
        record_event(actor=SYSTEM, action="tests.thing.done")
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_events_are_chained_from_genesis(django_user_model):
    user = django_user_model.objects.create_user("alice", password="x" * 16)
    first, second = _record(2)
    with transaction.atomic():
        third = record_event(actor=user, action="tests.user.seen", target=user, subject="doctor:7")
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert (third.actor_kind, third.actor_user_id, third.actor_label) == ("user", user.pk, "alice")
    assert (third.target_type, third.target_id) == ("accounts.user", str(user.pk))
    assert verify_chain() == (3, None)


@pytest.mark.django_db
def test_action_codes_must_read_app_object_verb():
    with transaction.atomic(), pytest.raises(ValueError):
        record_event(actor=SYSTEM, action="login")


@pytest.mark.django_db
def test_context_is_recorded():
    with audit_context(
        request_id="req-123456", ip="::ffff:127.0.0.1", user_agent="UA", command="x"
    ):
        (event,) = _record()
    event.refresh_from_db()
    assert (event.request_id, event.user_agent, event.command) == ("req-123456", "UA", "x")
    assert event.ip is not None
    assert verify_chain() == (1, None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'tests.thing.hidden'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_database_refuses_update_and_delete(statement):
    _record(2)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.filter(action="tests.thing.done").count() == 2


def _tamper(event_id: int, sql: str):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
        cursor.execute(sql, [event_id])
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")


@pytest.mark.django_db
def test_audit_verify_names_the_altered_row(capsys):
    events = _record(5)
    call_command("audit_verify")
    assert "5 events verified" in capsys.readouterr().out
    _tamper(events[2].id, "UPDATE audit_auditevent SET target_id = '999' WHERE id = %s")
    with pytest.raises(CommandError, match=f"id={events[2].id}: content does not match"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_audit_verify_detects_a_removed_row():
    events = _record(4)
    _tamper(events[1].id, "DELETE FROM audit_auditevent WHERE id = %s")
    checked, broken = verify_chain()
    assert (checked, broken.event_id) == (1, events[2].id)


@pytest.mark.django_db
def test_audit_head_prints_the_last_hash(capsys):
    events = _record(3)
    call_command("audit_head")
    head = json.loads(capsys.readouterr().out)
    assert head["id"] == events[-1].id and head["hash"] == events[-1].hash and head["count"] == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain_valid():
    writers, per_writer = 6, 15
    errors = []

    def write():
        try:
            for _ in range(per_writer):
                _record()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert verify_chain() == (writers * per_writer, None)
