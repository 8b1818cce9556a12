"""The whole registration path, by services: file, request a piece, resubmit, accept."""

import pytest
from dateutil.relativedelta import relativedelta

from ordre.audit.models import AuditEvent
from ordre.notifications.models import InboxMessage
from ordre.procedures import services as procedures
from ordre.procedures.enums import DossierState
from ordre.procedures.registry import get_kind
from rpps.identifiers import is_doctor_rpps, is_luhn_valid
from tableau.forms import RegistrationForm
from tableau.models import Doctor, RegisterChange
from tableau.procedures import REGISTRATION
from tests.procedures import factories

pytestmark = pytest.mark.django_db

FORM = {
    "birth_name": "Martin",
    "used_name": "",
    "first_names": "Élise Marie",
    "sex": "F",
    "birth_date": "1990-02-03",
    "birth_place": "Lyon",
    "birth_country": "fr",
    "nationality": "fr",
    "email": "elise@example.org",
    "phone": "0601020304",
    "diploma": "Diplôme d’État de docteur en médecine",
    "diploma_university": "Université Paris Cité",
    "diploma_year": 2020,
    "diploma_country": "FR",
    "specialty": "SM54",
    "practice_mode": "L",
    "practice_name": "Cabinet du Parc",
    "practice_address": "3 rue du Parc",
    "practice_postal_code": "75011",
    "practice_city": "Paris",
    "practice_siret": "73282932000074",
    "practice_finess": "",
}


def form_data(**changes) -> dict:
    form = RegistrationForm(data={**FORM, **changes})
    assert form.is_valid(), form.errors
    return form.form_data()


def filed_dossier(applicant, **changes):
    dossier = procedures.dossier_create(
        actor=applicant, kind=REGISTRATION, council="75", form_data=form_data(**changes)
    )
    for code in ("identity", "diplomas", "criminal_record", "sworn_statements"):
        procedures.dossier_add_piece(
            actor=applicant, dossier=dossier, code=code, document=factories.make_document(applicant)
        )
    return procedures.dossier_submit(actor=applicant, dossier=dossier)


def test_the_registration_kind_is_registered():
    kind = get_kind(REGISTRATION)
    assert [p.code for p in kind.required_pieces] == [
        "identity",
        "diplomas",
        "criminal_record",
        "sworn_statements",
    ]
    assert kind.piece("practice_contracts") is not None
    assert kind.deadline_months == 3


def test_an_invalid_form_cannot_be_submitted():
    applicant = factories.make_applicant()
    dossier = procedures.dossier_create(
        actor=applicant, kind=REGISTRATION, council="75", form_data={"birth_name": "Martin"}
    )
    with pytest.raises(procedures.DossierError):
        procedures.dossier_submit(actor=applicant, dossier=dossier)


def test_registration_from_filing_to_the_register():
    applicant = factories.make_applicant()
    clerk = factories.make_clerk("75")
    dossier = filed_dossier(applicant)
    # The clerk asks for the practice contract; the applicant adds it and resubmits.
    procedures.dossier_request_pieces(
        actor=clerk, dossier=dossier, codes=["practice_contracts"], comment="Contrat signé SVP"
    )
    procedures.dossier_add_piece(
        actor=applicant,
        dossier=dossier,
        code="practice_contracts",
        document=factories.make_document(applicant),
    )
    procedures.dossier_resubmit(actor=applicant, dossier=dossier)
    procedures.dossier_start_review(actor=clerk, dossier=dossier)
    dossier = procedures.dossier_mark_complete(actor=clerk, dossier=dossier)
    assert dossier.deadline == dossier.completed_at + relativedelta(months=3)
    dossier = procedures.dossier_accept(actor=clerk, dossier=dossier)
    assert dossier.state == DossierState.ACCEPTED

    doctor = Doctor.objects.get(user=applicant)
    assert is_doctor_rpps(doctor.rpps) and is_luhn_valid(doctor.rpps)
    assert doctor.council_id == "75" and doctor.status == "registered"
    assert doctor.birth_name == "Martin" and doctor.public_first_name == "Élise"
    assert doctor.birth_country == "FR"
    assert [q.code for q in doctor.qualifications.all()] == ["SM54"]
    place = doctor.practice_places.get()
    assert (place.mode, place.siret, place.is_primary) == ("L", "73282932000074", True)
    change = RegisterChange.objects.get(doctor=doctor)
    assert change.kind == "registered" and change.councils == ["75"]
    assert AuditEvent.objects.filter(
        action="tableau.doctor.register", subject=f"doctor:{doctor.pk}"
    ).exists()
    assert AuditEvent.objects.filter(action="procedures.dossier.accept").count() == 1
    # The account is now a doctor's: role, and the RPPS that Pro Santé Connect links by.
    applicant.refresh_from_db()
    assert applicant.rpps == doctor.rpps
    assert list(applicant.groups.values_list("name", flat=True)) == ["medecin"]
    assert AuditEvent.objects.filter(
        action="accounts.role.granted", target_id=str(applicant.pk)
    ).exists()
    message = InboxMessage.objects.get(recipient=applicant, template="tableau/doctor_registered")
    assert doctor.rpps in message.body
    # A registered doctor cannot file a second registration.
    with pytest.raises(procedures.DossierPermissionDenied):
        procedures.dossier_create(actor=applicant, kind=REGISTRATION, council="75")


def test_a_non_eu_diploma_gets_six_months():
    applicant = factories.make_applicant()
    clerk = factories.make_clerk("75")
    dossier = filed_dossier(applicant, diploma_country="DZ")
    dossier = procedures.dossier_mark_complete(actor=clerk, dossier=dossier)
    assert dossier.deadline == dossier.completed_at + relativedelta(months=6)


def test_a_failed_registration_rolls_the_acceptance_back():
    """If the register refuses (the applicant is already a doctor), nothing is accepted."""
    applicant = factories.make_applicant()
    clerk = factories.make_clerk("75")
    first = filed_dossier(applicant)
    second = filed_dossier(applicant)
    for dossier in (first, second):
        procedures.dossier_start_review(actor=clerk, dossier=dossier)
    procedures.dossier_accept(actor=clerk, dossier=first)
    from tableau.services import RegisterError

    with pytest.raises(RegisterError):
        procedures.dossier_accept(actor=clerk, dossier=second)
    second.refresh_from_db()
    assert second.state == DossierState.UNDER_REVIEW
    assert Doctor.objects.filter(user=applicant).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_acceptances_get_distinct_rpps_numbers():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    clerk = factories.make_clerk("75")
    dossiers = []
    for _ in range(4):
        applicant = factories.make_applicant()
        dossier = filed_dossier(applicant)
        dossiers.append(procedures.dossier_start_review(actor=clerk, dossier=dossier).pk)

    def accept(pk):
        try:
            procedures.dossier_accept(actor=clerk, dossier=pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(accept, dossiers))
    numbers = list(Doctor.objects.values_list("rpps", flat=True))
    assert len(numbers) == 4 and len(set(numbers)) == 4
    assert all(is_luhn_valid(n) for n in numbers)
