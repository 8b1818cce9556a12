"""A transfer is decided by the receiving council and followed, read-only, by the council
the doctor leaves (queue, counts, page, API); a third council sees nothing."""

import pytest

from ordre.audit.models import AuditEvent
from ordre.procedures import selectors
from ordre.procedures import services as procedures
from ordre.procedures.enums import DossierState
from tableau.forms import TransferForm
from tableau.procedures import TRANSFER
from tests.procedures import factories
from tests.procedures.test_pages import login
from tests.tableau.factories import make_doctor
from tests.tableau.test_other_procedures import PLACE

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaving_clerk(db):
    return factories.make_clerk("75")


@pytest.fixture
def receiving_clerk(db):
    return factories.make_clerk("13")


@pytest.fixture
def third_clerk(db):
    return factories.make_clerk("69")


def filed_transfer(from_council="75", to_council="13"):
    user = factories.make_applicant()
    make_doctor(council=from_council, user=user)
    form = TransferForm(data={**PLACE, "effective_on": "2027-01-01"})
    assert form.is_valid(), form.errors
    dossier = procedures.dossier_create(
        actor=user, kind=TRANSFER, council=to_council, form_data=form.form_data()
    )
    procedures.dossier_add_piece(
        actor=user,
        dossier=dossier,
        code="practice_contracts",
        document=factories.make_document(user),
    )
    return procedures.dossier_submit(actor=user, dossier=dossier)


def test_the_origin_council_is_stored_at_creation():
    dossier = filed_transfer()
    assert (dossier.council_id, dossier.origin_council_id) == ("13", "75")
    created = AuditEvent.objects.get(action="procedures.dossier.create", target_id=str(dossier.pk))
    assert created.changes["origin_council"] == "75"


def test_origin_clerks_see_and_count_it_in_their_queue(
    client, leaving_clerk, receiving_clerk, third_clerk
):
    dossier = filed_transfer()
    assert list(selectors.dossiers_for_clerk(leaving_clerk)) == [dossier]
    assert list(selectors.dossiers_for_clerk(receiving_clerk)) == [dossier]
    assert list(selectors.dossiers_for_clerk(third_clerk)) == []
    assert selectors.dossier_counts_for_clerk(leaving_clerk)["total"] == 1
    assert selectors.dossier_counts_for_clerk(third_clerk)["total"] == 0
    # "Transferts sortants": the ones leaving my council, decided elsewhere.
    assert list(selectors.dossiers_for_clerk(leaving_clerk, {"direction": "outgoing"})) == [dossier]
    assert list(selectors.dossiers_for_clerk(receiving_clerk, {"direction": "outgoing"})) == []

    page = login(client, leaving_clerk).get("/instruction/", {"direction": "outgoing"})
    assert dossier.reference in page.content.decode()
    assert page.context["counts"]["total"] == 1
    assert "(depuis 75)" in page.content.decode()
    page = login(client, third_clerk).get("/instruction/")
    assert dossier.reference not in page.content.decode()
    assert page.context["counts"]["total"] == 0


def test_origin_clerks_read_the_page_but_cannot_act(client, leaving_clerk, third_clerk):
    dossier = filed_transfer()
    login(client, leaving_clerk)
    page = client.get(f"/instruction/dossiers/{dossier.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and page.context["read_only"]
    assert "Transfert sortant du conseil 75" in body and 'id="historique"' in body
    for absent in ('id="actions"', 'id="notes"', 'id="messages"', "Passer en instruction"):
        assert absent not in body
    for verb, data in (
        ("start_review", {}),
        ("assign", {}),
        ("request_pieces", {"codes": ["other"]}),
        ("message", {"body": "Bonjour"}),
        ("note", {"body": "note"}),
    ):
        assert client.post(f"/instruction/dossiers/{dossier.pk}/{verb}/", data).status_code == 403
    response = client.post(
        "/instruction/actions-groupees/",
        {"action": "start_review", "ids": [dossier.pk]},
        follow=True,
    )
    assert "0 dossier(s) traité(s), 1 refusé(s)." in response.content.decode()
    with pytest.raises(procedures.DossierPermissionDenied):
        procedures.dossier_post_message(actor=leaving_clerk, dossier=dossier, body="x")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED and not dossier.messages.exists()

    login(client, third_clerk)
    assert client.get(f"/instruction/dossiers/{dossier.pk}/").status_code == 404
    assert client.post(f"/instruction/dossiers/{dossier.pk}/start_review/").status_code == 404


def test_api_origin_clerks_read_but_cannot_act(client, leaving_clerk, third_clerk):
    dossier = filed_transfer()
    login(client, leaving_clerk)
    listed = client.get("/api/v1/dossiers/instruction/").json()
    assert [d["id"] for d in listed["results"]] == [dossier.pk]
    assert listed["results"][0]["origin_council"] == "75"
    outgoing = client.get("/api/v1/dossiers/instruction/", {"direction": "outgoing"}).json()
    assert outgoing["count"] == 1
    detail = client.get(f"/api/v1/dossiers/instruction/{dossier.pk}/").json()
    assert detail["read_only"] is True and detail["state"] == "submitted"
    assert [e["verb"] for e in detail["history"]] == ["create", "add_piece", "submit"]
    assert "pieces" not in detail and "refusal_reasons" not in detail
    for verb, body in (("start_review", {}), ("assign_to_me", {}), ("refuse", {"reasons": "x"})):
        url = f"/api/v1/dossiers/instruction/{dossier.pk}/actions/{verb}/"
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 403
        assert response["Content-Type"].startswith("application/problem+json")
    login(client, third_clerk)
    assert client.get("/api/v1/dossiers/instruction/").json()["count"] == 0
    assert client.get(f"/api/v1/dossiers/instruction/{dossier.pk}/").status_code == 404
    url = f"/api/v1/dossiers/instruction/{dossier.pk}/actions/start_review/"
    assert client.post(url, {}, content_type="application/json").status_code == 404


def test_the_receiving_council_decides_and_both_follow_the_outcome(
    client, leaving_clerk, receiving_clerk
):
    dossier = filed_transfer()
    login(client, receiving_clerk)
    detail = client.get(f"/api/v1/dossiers/instruction/{dossier.pk}/").json()
    assert "read_only" not in detail and detail["pieces"][0]["code"] == "practice_contracts"
    page = client.get(f"/instruction/dossiers/{dossier.pk}/")
    assert not page.context["read_only"] and "start_review" in page.context["verbs"]
    client.post(f"/instruction/dossiers/{dossier.pk}/start_review/")
    client.post(f"/instruction/dossiers/{dossier.pk}/accept/")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.ACCEPTED
    # The doctor has moved; the council they left still sees the decided dossier.
    page = login(client, leaving_clerk).get(f"/instruction/dossiers/{dossier.pk}/")
    assert page.status_code == 200 and "accept" in page.content.decode()
    assert page.context["read_only"]


def test_queue_query_count_with_outgoing_transfers(
    client, leaving_clerk, django_assert_max_num_queries
):
    filed_transfer()
    login(client, leaving_clerk)
    with django_assert_max_num_queries(25) as few:
        client.get("/instruction/")
    for _ in range(4):
        filed_transfer()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/instruction/")
    assert len(response.context["page_obj"].object_list) == 5
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/dossiers/instruction/").json()["count"] == 5
