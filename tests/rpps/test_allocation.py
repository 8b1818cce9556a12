"""RPPS allocation: sequence-backed, recorded, audited, safe under concurrency."""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from ordre.audit.actors import SystemActor
from ordre.audit.models import AuditEvent
from rpps.identifiers import is_doctor_rpps, is_luhn_valid
from rpps.models import DirectoryEntry, RppsAllocation
from rpps.services import allocate_rpps
from rpps.synthetic import rpps_number

ACTOR = SystemActor("test:rpps-allocation")


@pytest.mark.django_db
def test_allocation_is_recorded_and_audited():
    number = allocate_rpps(actor=ACTOR, subject="dossier:42")

    assert is_doctor_rpps(number) and is_luhn_valid(number)
    allocation = RppsAllocation.objects.get(number=number)
    assert allocation.allocated_by == "test:rpps-allocation"
    assert number == rpps_number(allocation.sequence_value)
    event = AuditEvent.objects.get(action="rpps.number.allocated", target_id=str(allocation.pk))
    assert event.subject == "dossier:42"
    assert event.changes == {"number": [None, number]}


@pytest.mark.django_db
def test_numbers_are_never_reused_even_after_a_rollback():
    first = allocate_rpps(actor=ACTOR)
    with pytest.raises(RuntimeError), transaction.atomic():
        burnt = allocate_rpps(actor=ACTOR)
        raise RuntimeError("the acceptance failed")
    third = allocate_rpps(actor=ACTOR)

    assert not RppsAllocation.objects.filter(number=burnt).exists()
    assert len({first, burnt, third}) == 3
    assert int(third[2:10]) > int(burnt[2:10]) > int(first[2:10])


@pytest.mark.django_db
def test_a_number_already_in_the_national_directory_is_skipped():
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value, is_called FROM rpps_allocation_seq")
        last, called = cursor.fetchone()
    upcoming = rpps_number(last + 1 if called else last)
    DirectoryEntry.objects.create(
        entry_key="x", rpps=upcoming, national_id="8" + upcoming, luhn_valid=True,
        content_hash=0, first_seen="2026-01-01T00:00Z", last_seen="2026-01-01T00:00Z",
        last_changed="2026-01-01T00:00Z",
    )  # fmt: skip

    number = allocate_rpps(actor=ACTOR)

    assert number != upcoming
    assert int(number[2:10]) == int(upcoming[2:10]) + 1


@pytest.mark.django_db
def test_the_database_refuses_a_duplicate_or_malformed_number():
    number = allocate_rpps(actor=ACTOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        RppsAllocation.objects.create(number=number, sequence_value=10**9, allocated_by="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        RppsAllocation.objects.create(number="20000000001", sequence_value=10**9, allocated_by="x")


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_collide():
    threads_count, per_thread = 6, 5
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads_count)

    def worker():
        try:
            barrier.wait()
            mine = [allocate_rpps(actor=ACTOR) for _ in range(per_thread)]
            with lock:
                results.extend(mine)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(results) == threads_count * per_thread
    assert len(set(results)) == len(results)
    assert all(is_doctor_rpps(n) and is_luhn_valid(n) for n in results)
    assert sorted(RppsAllocation.objects.values_list("number", flat=True)) == sorted(results)
    assert AuditEvent.objects.filter(action="rpps.number.allocated").count() == len(results)
