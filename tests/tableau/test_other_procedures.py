"""Transfer, specialist qualification, change of situation, DPC declaration."""

import pytest

from ordre.procedures import services as procedures
from tableau.forms import DpcDeclarationForm, QualificationForm, SituationChangeForm, TransferForm
from tableau.models import RegisterChange
from tableau.procedures import DPC_DECLARATION, QUALIFICATION, SITUATION_CHANGE, TRANSFER
from tests.procedures import factories
from tests.tableau.factories import make_doctor

pytestmark = pytest.mark.django_db

PLACE = {
    "practice_mode": "S",
    "practice_name": "Hôpital Nord",
    "practice_address": "Chemin des Bourrely",
    "practice_postal_code": "13015",
    "practice_city": "Marseille",
    "practice_siret": "",
    "practice_finess": "",
}


def decided(user, kind, council, form_class, data, pieces, clerk):
    form = form_class(data=data)
    assert form.is_valid(), form.errors
    dossier = procedures.dossier_create(
        actor=user, kind=kind, council=council, form_data=form.form_data()
    )
    for code in pieces:
        procedures.dossier_add_piece(
            actor=user, dossier=dossier, code=code, document=factories.make_document(user)
        )
    procedures.dossier_submit(actor=user, dossier=dossier)
    procedures.dossier_start_review(actor=clerk, dossier=dossier)
    return procedures.dossier_accept(actor=clerk, dossier=dossier)


def test_only_registered_doctors_file_these_procedures():
    applicant = factories.make_applicant()
    for kind in (TRANSFER, QUALIFICATION, SITUATION_CHANGE, DPC_DECLARATION):
        with pytest.raises(procedures.DossierPermissionDenied):
            procedures.dossier_create(actor=applicant, kind=kind, council="75")


def test_transfer_decided_by_the_receiving_council():
    user = factories.make_applicant()
    doctor = make_doctor(council="75", user=user)
    receiving = factories.make_clerk("13")
    decided(
        user,
        TRANSFER,
        "13",
        TransferForm,
        {**PLACE, "effective_on": "2027-01-01"},
        ["practice_contracts"],
        receiving,
    )
    doctor.refresh_from_db()
    assert doctor.council_id == "13"
    assert [p.city for p in doctor.practice_places.filter(ended_on__isnull=True)] == ["Marseille"]
    transfer = RegisterChange.objects.get(doctor=doctor, kind="transfer")
    assert transfer.councils == ["75", "13"]


def test_a_clerk_of_the_old_council_cannot_decide_the_transfer():
    user = factories.make_applicant()
    make_doctor(council="75", user=user)
    form = TransferForm(data={**PLACE, "effective_on": "2027-01-01"})
    assert form.is_valid()
    dossier = procedures.dossier_create(
        actor=user, kind=TRANSFER, council="13", form_data=form.form_data()
    )
    with pytest.raises(procedures.DossierPermissionDenied):
        procedures.dossier_start_review(actor=factories.make_clerk("75"), dossier=dossier)


def test_qualification_situation_change_and_dpc():
    user = factories.make_applicant()
    doctor = make_doctor(council="75", user=user, qualifications=[])
    clerk = factories.make_clerk("75")
    decided(
        user,
        QUALIFICATION,
        "75",
        QualificationForm,
        {"specialty": "SM26", "titles": "DES de médecine générale"},
        ["diplomas"],
        clerk,
    )
    assert list(doctor.qualifications.values_list("code", flat=True)) == ["SM26"]
    decided(
        user,
        DPC_DECLARATION,
        "75",
        DpcDeclarationForm,
        {
            "period_start": "2023-01-01",
            "period_end": "2025-12-31",
            "actions": 4,
            "description": "x",
        },
        ["dpc_certificates"],
        clerk,
    )
    assert not SituationChangeForm(
        data={"change": "practice_place", "effective_on": "2027-01-01"}
    ).is_valid()
    decided(
        user,
        SITUATION_CHANGE,
        "75",
        SituationChangeForm,
        {"change": "retirement", "effective_on": "2027-02-01"},
        [],
        clerk,
    )
    doctor.refresh_from_db()
    assert doctor.status == "retired"
    assert not doctor.practice_places.filter(ended_on__isnull=True).exists()
    kinds = list(RegisterChange.objects.filter(doctor=doctor).values_list("kind", flat=True))
    assert kinds == ["registered", "qualification_added", "place_ended", "status"]
