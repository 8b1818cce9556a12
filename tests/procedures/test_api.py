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


def test_applicant_creates_a_dossier_and_uploads_a_piece_through_the_api(client, applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, applicant)
    response = client.post(
        "/api/v1/dossiers/",
        {"kind": factories.TEST_KIND, "council": "75", "form_data": {}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    bad = client.post(
        "/api/v1/dossiers/", {"kind": "nope", "council": "75"}, content_type="application/json"
    )
    assert bad.status_code == 400
    unknown = client.post(
        "/api/v1/dossiers/",
        {"kind": factories.TEST_KIND, "council": "99"},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and "council" in unknown.json()["errors"]
    pdf = SimpleUploadedFile("id.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(f"/api/v1/dossiers/{pk}/pieces/", {"code": "identity", "file": pdf})
    assert response.status_code == 201 and response.json()["code"] == "identity"
    text = SimpleUploadedFile("id.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(f"/api/v1/dossiers/{pk}/pieces/", {"code": "identity", "file": text})
    assert response.status_code == 400
    submitted = client.post(
        f"/api/v1/dossiers/{pk}/actions/submit/", {}, content_type="application/json"
    )
    assert submitted.json()["state"] == "submitted"


def test_registration_form_is_checked_by_the_api(client, applicant):
    login(client, applicant)
    response = client.post(
        "/api/v1/dossiers/",
        {"kind": "registration", "council": "75", "form_data": {"birth_name": "X"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "form_data.first_names" in response.json()["errors"], response.json()
