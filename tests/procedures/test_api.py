"""REST endpoints: same scoping as the pages, transitions through the services, query
counts of the list endpoints."""

import pytest

from ordre.procedures.enums import DossierState
from tests.procedures import factories
from tests.procedures.test_pages import login

pytestmark = pytest.mark.django_db


def test_applicant_endpoints(client, make_dossier, applicant):
    mine = make_dossier("draft")
    services_doc = factories.make_document(applicant)
    from ordre.procedures import services

    services.dossier_add_piece(
        actor=applicant, dossier=mine, code="identity", document=services_doc
    )
    other = make_dossier("submitted", owner=factories.make_applicant())
    login(client, applicant)
    listed = client.get("/api/v1/dossiers/").json()
    assert [d["id"] for d in listed["results"]] == [mine.pk]
    detail = client.get(f"/api/v1/dossiers/{mine.pk}/").json()
    assert detail["pieces"][0]["code"] == "identity"
    assert client.get(f"/api/v1/dossiers/{other.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/dossiers/{mine.pk}/actions/submit/", {}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    again = client.post(
        f"/api/v1/dossiers/{mine.pk}/actions/submit/", {}, content_type="application/json"
    )
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")


def test_clerk_endpoints_are_scoped(client, make_dossier, clerk, applicant):
    ours = make_dossier("submitted")
    theirs = make_dossier("submitted", council="13")
    assert login(client, applicant).get("/api/v1/dossiers/instruction/").status_code == 403
    login(client, clerk)
    listed = client.get("/api/v1/dossiers/instruction/").json()
    assert [d["id"] for d in listed["results"]] == [ours.pk] and listed["count"] == 1
    assert client.get(f"/api/v1/dossiers/instruction/{theirs.pk}/").status_code == 404
    url = f"/api/v1/dossiers/instruction/{theirs.pk}/actions/start_review/"
    assert client.post(url, {}, content_type="application/json").status_code == 404
    url = f"/api/v1/dossiers/instruction/{ours.pk}/actions/start_review/"
    assert client.post(url, {}, content_type="application/json").json()["state"] == "under_review"
    url = f"/api/v1/dossiers/instruction/{ours.pk}/actions/refuse/"
    assert client.post(url, {"reasons": ""}, content_type="application/json").status_code == 409
    response = client.post(url, {"reasons": "Incomplet"}, content_type="application/json")
    assert response.json()["state"] == DossierState.REFUSED


def test_list_endpoints_query_counts(
    client, make_dossier, clerk, applicant, django_assert_max_num_queries
):
    make_dossier("submitted")
    login(client, clerk)
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v1/dossiers/instruction/")
    for _ in range(5):
        make_dossier("submitted")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/dossiers/instruction/").json()["count"] == 6
    login(client, applicant)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/dossiers/").json()["count"] == 6
