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
