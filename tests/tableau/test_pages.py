import pytest

from tests.procedures import factories
from tests.procedures.test_pages import login
from tests.tableau.factories import make_doctor

pytestmark = pytest.mark.django_db


def test_my_registration_page(client):
    user = factories.make_applicant()
    login(client, user)
    assert "Demander mon inscription" in client.get("/mon-inscription/").content.decode()
    doctor = make_doctor(user=user)
    body = client.get("/mon-inscription/").content.decode()
    assert doctor.rpps in body and "Inscrit" in body


def test_demo_is_idempotent():
    from ordre.accounts import demo as accounts_demo
    from tableau import demo
    from tableau.models import Doctor

    accounts_demo.load()
    demo.load()
    demo.load()
    doctor = Doctor.objects.get(user__username="medecin")
    assert doctor.council_id == "75" and doctor.registered_on.year == 2010


def test_registration_through_the_pages_up_to_the_edit_of_the_form(client):
    from tests.tableau.test_registration import FORM

    user = factories.make_applicant()
    login(client, user)
    data = {**FORM, "c-council": "75"}
    response = client.post("/demarches/registration/nouveau/", data)
    assert response.status_code == 302, response.context["form"].errors
    dossier = user.dossiers.get()
    assert dossier.form_data["birth_name"] == "Martin"
    page = client.get(f"/mes-dossiers/{dossier.pk}/formulaire/")
    assert page.status_code == 200 and "Martin" in page.content.decode()
    client.post(f"/mes-dossiers/{dossier.pk}/formulaire/", {**FORM, "birth_name": "Martin-Roux"})
    dossier.refresh_from_db()
    assert dossier.form_data["birth_name"] == "Martin-Roux"


def test_my_dossiers_offers_the_procedures_i_can_start(client):
    user = factories.make_applicant()
    login(client, user)
    body = client.get("/mes-dossiers/").content.decode()
    assert "/demarches/registration/nouveau/" in body
    assert "/demarches/transfer/nouveau/" not in body
    make_doctor(user=user)
    body = client.get("/mes-dossiers/").content.decode()
    assert "/demarches/registration/nouveau/" not in body
    assert "/demarches/transfer/nouveau/" in body
