"""Differences between the register and the national directory import, for clerks."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ordre.audit.actors import SystemActor
from rpps.extract import write_extract
from rpps.fhir import PractitionerData, PractitionerRoleData, Qualification
from rpps.services import import_ans_extract
from tableau.directory.differences import register_differences
from tableau.enums import DoctorStatus
from tableau.services import doctor_change_status
from tests.procedures.factories import make_clerk, make_user

PARIS = {"mode": "L", "address": "3 rue de Rivoli", "postal_code": "75004", "city": "Paris"}
MARSEILLE = {"mode": "S", "address": "La Timone", "postal_code": "13005", "city": "Marseille"}

pytestmark = pytest.mark.django_db


def _national(doctor, *, family=None, specialties=None, mode="L", n=1):
    specialties = specialties if specialties is not None else ()
    qualifications = tuple(Qualification(code=c) for c in specialties)
    data = PractitionerData(
        rpps=doctor.rpps,
        family=family or doctor.public_last_name,
        given=(doctor.public_first_name,),
        qualifications=qualifications,
    )
    role = PractitionerRoleData(
        id=f"{doctor.rpps}-{n}",
        structure_id=f"S{doctor.rpps}-{n}",
        rpps=doctor.rpps,
        practice_mode_code=mode,
        specialties=qualifications,
    )
    return data, [role]


def _import(tmp_path, pairs):
    path = tmp_path / "extract.txt"
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        write_extract(stream, pairs)
    run = import_ans_extract(actor=SystemActor("test"), path=path)
    assert run.rejected == 0
    return run


@pytest.fixture
def setup(register_doctor, tmp_path):
    same = register_doctor(last_name="Dupont", places=[PARIS], qualifications=["SM54"])
    renamed = register_doctor(last_name="Martin", places=[PARIS], qualifications=["SM54"])
    absent = register_doctor(last_name="Absent", places=[PARIS])
    struck = register_doctor(last_name="Radié", places=[PARIS])
    marseille = register_doctor(council="13", last_name="Cœur", places=[MARSEILLE])
    with transaction.atomic():
        doctor_change_status(
            actor=SystemActor("test"),
            doctor=struck,
            status=DoctorStatus.STRUCK_OFF,
            effective_on=timezone.localdate(),
            reason="test",
        )
    _import(
        tmp_path,
        [
            _national(same, specialties=["SM54"]),
            _national(renamed, family="Martin-Durand", specialties=["SM26"], mode="S"),
            _national(struck),
        ],
    )
    return {
        "same": same,
        "renamed": renamed,
        "absent": absent,
        "struck": struck,
        "marseille": marseille,
    }


def _by_rpps(report):
    return {
        item.rpps: {d.field: (d.ours, d.theirs) for d in item.differences} for item in report.items
    }


def test_differences_by_rpps(setup, django_assert_num_queries):
    with django_assert_num_queries(3):  # last import, one chunk of ours, theirs for the chunk
        report = register_differences(council_codes=["75"])
    found = _by_rpps(report)
    assert setup["same"].rpps not in found
    assert found[setup["renamed"].rpps] == {
        "last_name": ("Martin", "Martin-Durand"),
        "specialties": ("SM54", "SM26"),
        "modes": ("L", "S"),
    }
    assert found[setup["absent"].rpps] == {"status": ("inscrit", "absent")}
    assert found[setup["struck"].rpps] == {"status": ("non inscrit (Radié)", "présent")}
    assert setup["marseille"].rpps not in found
    assert not report.truncated
    everything = _by_rpps(register_differences())
    assert setup["marseille"].rpps in everything
    limited = register_differences(council_codes=["75"], limit=1)
    assert len(limited.items) == 1 and limited.truncated
    assert register_differences(council_codes=[]).items == []


def test_nothing_to_compare_before_an_import(register_doctor):
    register_doctor(places=[PARIS])
    report = register_differences()
    assert not report.import_done and report.items == []


def _login(client, user):
    from ordre.accounts import session_state

    client.force_login(user)
    session = client.session
    session[session_state.VERIFIED_KEY] = {
        "user": user.pk,
        "method": "test",
        "at": session_state.now(),
    }
    session.save()
    return client


URL = "/instruction/ecarts-annuaire/"


def test_page_is_for_clerks_and_scoped_to_their_councils(client, setup):
    assert client.get(URL).status_code == 302
    from ordre.accounts import roles

    assert _login(client, make_user(role=roles.APPLICANT)).get(URL).status_code == 403
    response = _login(client, make_clerk("75")).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert setup["renamed"].rpps in body and "Martin-Durand" in body
    assert setup["absent"].rpps in body
    assert setup["marseille"].rpps not in body
    assert setup["same"].rpps not in body
    body = _login(client, make_clerk("13")).get(URL).content.decode()
    assert setup["marseille"].rpps in body
    assert setup["renamed"].rpps not in body


def test_page_query_count_does_not_grow(client, setup, register_doctor):
    clerk = make_clerk("75")
    _login(client, clerk)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for i in range(15):
        register_doctor(last_name=f"Nouveau{i}", places=[PARIS])
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(response.context["report"].items) == 3 + 15
    assert len(many) == len(few)
