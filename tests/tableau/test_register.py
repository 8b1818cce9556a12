"""The register: every change audited (subject doctor:<id>) and written to the outbox."""

import datetime as dt

import pytest
from django.db import connection

from ordre.audit.models import AuditEvent
from tableau import services
from tableau.enums import DoctorStatus
from tableau.models import Doctor, RegisterChange
from tests.tableau.factories import ACTOR, PLACE, make_doctor

pytestmark = pytest.mark.django_db


def changes_of(doctor) -> list[tuple[str, list[str]]]:
    return [
        (c.kind, c.councils) for c in RegisterChange.objects.filter(doctor=doctor).order_by("id")
    ]


def audits_of(doctor) -> list[str]:
    return list(
        AuditEvent.objects.filter(subject=f"doctor:{doctor.pk}")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_registration_writes_history_audit_and_outbox():
    doctor = make_doctor()
    assert doctor.status == DoctorStatus.REGISTERED
    assert doctor.public_last_name == "Durand-Martin" and doctor.public_first_name == "Élise"
    assert doctor.public_name_normalized == "durand martin elise"
    history = list(doctor.status_changes.values_list("from_status", "to_status", "council_id"))
    assert history == [("", "registered", "75")]
    assert audits_of(doctor) == ["tableau.doctor.register"]
    change = RegisterChange.objects.get(doctor=doctor)
    assert change.kind == "registered" and change.councils == ["75"]
    assert change.payload["rpps"] == doctor.rpps
    assert change.payload["qualifications"] == ["SM54"]
    assert change.payload["places"][0]["siret"] == "73282932000074"
    # Public fields only: no civil identity in the outbox.
    assert "Martin" not in str({k: v for k, v in change.payload.items() if k != "last_name"})
    assert "1985" not in str(change.payload)


def test_identity_is_encrypted_and_searchable_by_blind_index():
    doctor = make_doctor()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT birth_name, birth_date FROM tableau_doctor WHERE id = %s", [doctor.pk]
        )
        name, date = cursor.fetchone()
    assert b"Martin" not in bytes(name) and b"1985" not in bytes(date)
    fresh = Doctor.objects.get(pk=doctor.pk)
    assert fresh.birth_name == "Martin" and fresh.birth_date == dt.date(1985, 4, 12)
    assert list(Doctor.objects.blind_filter(birth_name="martin")) == [doctor]


def test_status_changes_have_a_dated_history():
    doctor = make_doctor()
    services.doctor_change_status(
        actor=ACTOR,
        doctor=doctor,
        status="suspended",
        effective_on=dt.date(2027, 1, 1),
        reason="Décision",
    )
    services.doctor_change_status(
        actor=ACTOR, doctor=doctor, status="registered", effective_on=dt.date(2027, 6, 1)
    )
    services.doctor_change_status(
        actor=ACTOR, doctor=doctor, status="retired", effective_on=dt.date(2028, 1, 1)
    )
    doctor.refresh_from_db()
    assert doctor.status == "retired" and doctor.status_since == dt.date(2028, 1, 1)
    history = list(doctor.status_changes.values_list("from_status", "to_status", "effective_on"))
    assert history == [
        ("", "registered", doctor.registered_on),
        ("registered", "suspended", dt.date(2027, 1, 1)),
        ("suspended", "registered", dt.date(2027, 6, 1)),
        ("registered", "retired", dt.date(2028, 1, 1)),
    ]
    assert audits_of(doctor).count("tableau.doctor.change_status") == 3
    assert [k for k, _ in changes_of(doctor)] == ["registered", "status", "status", "status"]
    services.doctor_change_status(actor=ACTOR, doctor=doctor, status="deceased")
    with pytest.raises(services.RegisterError):  # final
        services.doctor_change_status(actor=ACTOR, doctor=doctor, status="registered")
    assert len(changes_of(doctor)) == 5


def test_transfer_concerns_both_councils():
    doctor = make_doctor(council="75")
    services.doctor_transfer(
        actor=ACTOR, doctor=doctor, to_council="13", effective_on=dt.date(2027, 3, 1)
    )
    doctor.refresh_from_db()
    assert doctor.council_id == "13" and doctor.status == "registered"
    history = list(doctor.status_changes.values_list("council_id", "to_status"))
    assert history[-2:] == [("75", "transferred"), ("13", "registered")]
    kind, councils = changes_of(doctor)[-1]
    assert kind == "transfer" and councils == ["75", "13"]
    assert RegisterChange.objects.filter(councils__contains=["75"], kind="transfer").count() == 1
    event = AuditEvent.objects.get(action="tableau.doctor.transfer", subject=f"doctor:{doctor.pk}")
    assert event.changes["council"] == ["75", "13"]
    with pytest.raises(services.RegisterError):
        services.doctor_transfer(actor=ACTOR, doctor=doctor, to_council="13")


def test_qualifications_and_places_each_write_one_change():
    doctor = make_doctor(qualifications=[])
    with pytest.raises(services.RegisterError):
        services.qualification_add(actor=ACTOR, doctor=doctor, code="XX99")
    qualification = services.qualification_add(actor=ACTOR, doctor=doctor, code="SM26")
    assert qualification.label.startswith("Qualifié en Médecine générale")
    with pytest.raises(services.RegisterError):
        services.qualification_add(actor=ACTOR, doctor=doctor, code="SM26")
    services.qualification_end(actor=ACTOR, qualification=qualification)
    place = services.practice_place_add(
        actor=ACTOR,
        doctor=doctor,
        place={**PLACE, "mode": "S", "siret": "", "finess": "750712184", "is_primary": True},
    )
    assert place.mode_label == "Salarié"
    services.practice_place_update(actor=ACTOR, place=place, changes={"city": "Paris 2e"})
    services.practice_place_end(actor=ACTOR, place=place)
    assert [k for k, _ in changes_of(doctor)] == [
        "registered",
        "qualification_added",
        "qualification_ended",
        "place_added",
        "place_changed",
        "place_ended",
    ]
    assert len(audits_of(doctor)) == 6
    services.doctor_update_identity(actor=ACTOR, doctor=doctor, used_name="Martin")
    services.doctor_update_identity(actor=ACTOR, doctor=doctor, used_name="Martin")  # no change
    services.doctor_update_contact(actor=ACTOR, doctor=doctor, phone="0102030405")
    assert [k for k, _ in changes_of(doctor)][-2:] == ["identity", "contact"]
    event = AuditEvent.objects.filter(action="tableau.doctor.update_identity").get()
    assert event.changes == {"fields": ["used_name"]}


@pytest.mark.parametrize(
    ("field", "value"),
    [("siret", "73282932000075"), ("finess", "750712185"), ("finess", "12"), ("mode", "Z")],
)
def test_invalid_practice_identifiers_are_refused(field, value):
    doctor = make_doctor()
    with pytest.raises(services.RegisterError):
        services.practice_place_add(actor=ACTOR, doctor=doctor, place={**PLACE, field: value})


def test_a_failed_change_writes_nothing():
    doctor = make_doctor()
    before = (RegisterChange.objects.count(), AuditEvent.objects.count())
    with pytest.raises(services.RegisterError):
        services.doctor_change_status(actor=ACTOR, doctor=doctor, status="transferred")
    assert (RegisterChange.objects.count(), AuditEvent.objects.count()) == before
