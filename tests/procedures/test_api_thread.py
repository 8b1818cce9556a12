"""API of the message thread (applicant and clerks) and of the private notes (clerks of the
dossier's council only), scoped like the pages; query counts of the lists."""

import pytest

from ordre.audit.models import AuditEvent
from ordre.procedures import services
from tests.procedures import factories
from tests.procedures.test_pages import login

pytestmark = pytest.mark.django_db


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_applicant_and_clerk_write_to_each_other(client, make_dossier, applicant, clerk):
    dossier = make_dossier("submitted")
    mine = f"/api/v1/dossiers/{dossier.pk}/messages/"
    theirs = f"/api/v1/dossiers/instruction/{dossier.pk}/messages/"
    login(client, applicant)
    response = post_json(client, mine, {"body": "Voici ma question."})
    assert response.status_code == 201 and response.json()["from_clerk"] is False
    assert post_json(client, mine, {"body": "  "}).status_code in (400, 409)
    assert client.get(theirs).status_code == 403  # not a clerk
    login(client, clerk)
    response = post_json(client, theirs, {"body": "Voici la réponse."})
    assert response.status_code == 201 and response.json()["from_clerk"] is True
    listed = client.get(theirs).json()
    assert [m["body"] for m in listed["results"]] == ["Voici ma question.", "Voici la réponse."]
    login(client, applicant)
    assert client.get(mine).json()["count"] == 2
    assert AuditEvent.objects.filter(action="procedures.dossier.post_message").count() == 2


def test_applicant_attaches_a_file(client, make_dossier, applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = make_dossier("submitted")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    login(client, applicant)
    response = client.post(
        f"/api/v1/dossiers/{dossier.pk}/messages/",
        {"body": "Ci-joint.", "attachment": SimpleUploadedFile("a.pdf", pdf, "application/pdf")},
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["attachments"]) == 1
    message = dossier.messages.get()
    assert [str(d.pk) for d in message.attachments.all()] == response.json()["attachments"]


def test_thread_is_scoped(client, make_dossier, applicant, other_clerk):
    dossier = make_dossier("submitted")
    draft = make_dossier("draft")
    stranger = factories.make_applicant()
    login(client, stranger)
    assert client.get(f"/api/v1/dossiers/{dossier.pk}/messages/").status_code == 404
    assert (
        post_json(client, f"/api/v1/dossiers/{dossier.pk}/messages/", {"body": "x"}).status_code
        == 404
    )
    login(client, other_clerk)
    url = f"/api/v1/dossiers/instruction/{dossier.pk}/messages/"
    assert client.get(url).status_code == 404
    assert post_json(client, url, {"body": "x"}).status_code == 404
    login(client, applicant)
    refused = post_json(client, f"/api/v1/dossiers/{draft.pk}/messages/", {"body": "x"})
    assert refused.status_code == 409
    assert not dossier.messages.exists() and not draft.messages.exists()


def test_private_notes_are_for_the_councils_clerks_only(
    client, make_dossier, applicant, clerk, other_clerk
):
    dossier = make_dossier("submitted")
    url = f"/api/v1/dossiers/instruction/{dossier.pk}/notes/"
    login(client, clerk)
    response = post_json(client, url, {"body": "Diplôme à vérifier."})
    assert response.status_code == 201 and response.json()["author"] == clerk.username
    assert [n["body"] for n in client.get(url).json()["results"]] == ["Diplôme à vérifier."]
    assert AuditEvent.objects.filter(action="procedures.note.add").count() == 1
    login(client, other_clerk)
    assert client.get(url).status_code == 404
    assert post_json(client, url, {"body": "x"}).status_code == 404
    login(client, applicant)
    assert client.get(url).status_code == 403
    # The applicant's own endpoints never show notes.
    assert "Diplôme" not in client.get(f"/api/v1/dossiers/{dossier.pk}/").content.decode()
    assert "Diplôme" not in client.get(f"/api/v1/dossiers/{dossier.pk}/messages/").content.decode()
    assert dossier.private_notes.count() == 1


def test_origin_clerks_of_a_transfer_reach_neither_thread_nor_notes(client, make_dossier, clerk):
    """A dossier seen from the council the applicant leaves is read-only: 403."""
    from ordre.procedures.models import Dossier

    dossier = make_dossier("submitted")
    Dossier.objects.filter(pk=dossier.pk).update(origin_council_id="13")
    origin = factories.make_clerk("13")
    login(client, origin)
    assert client.get(f"/api/v1/dossiers/instruction/{dossier.pk}/").status_code == 200
    for part in ("messages", "notes"):
        url = f"/api/v1/dossiers/instruction/{dossier.pk}/{part}/"
        assert client.get(url).status_code == 403
        assert post_json(client, url, {"body": "x"}).status_code == 403
    assert not dossier.messages.exists() and not dossier.private_notes.exists()


def test_thread_and_notes_query_counts(
    client, make_dossier, applicant, clerk, django_assert_max_num_queries
):
    dossier = make_dossier("submitted")
    for author in (applicant, clerk):
        services.dossier_post_message(
            actor=author,
            dossier=dossier,
            body="Bonjour",
            attachments=[factories.make_document(author, purpose="procedures.message")],
        )
    services.dossier_add_private_note(actor=clerk, dossier=dossier, body="note")
    urls = {
        clerk: [
            f"/api/v1/dossiers/instruction/{dossier.pk}/messages/",
            f"/api/v1/dossiers/instruction/{dossier.pk}/notes/",
        ],
        applicant: [f"/api/v1/dossiers/{dossier.pk}/messages/"],
    }
    counts = {}
    for user, user_urls in urls.items():
        login(client, user)
        for url in user_urls:
            with django_assert_max_num_queries(20) as few:
                assert client.get(url).status_code == 200
            counts[url] = len(few.captured_queries)
    for _ in range(5):
        services.dossier_post_message(
            actor=clerk,
            dossier=dossier,
            body="Encore",
            attachments=[factories.make_document(clerk, purpose="procedures.message")],
        )
        services.dossier_add_private_note(actor=clerk, dossier=dossier, body="note")
    for user, user_urls in urls.items():
        login(client, user)
        for url in user_urls:
            with django_assert_max_num_queries(counts[url]):
                assert client.get(url).json()["count"] >= 6
