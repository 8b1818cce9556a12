"""Portal pages: the clerk's queue and dossier page, the applicant's dossiers. Scoping by
URL, query counts of the list pages."""

import pytest

from ordre.procedures import services
from ordre.procedures.enums import DossierState
from tests.procedures import factories

pytestmark = pytest.mark.django_db


def login(client, user):
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


def test_queue_is_for_clerks_only(client, applicant):
    assert client.get("/instruction/").status_code == 302  # to the login page
    assert login(client, applicant).get("/instruction/").status_code == 403


def test_queue_lists_and_counts_only_the_clerks_council(client, make_dossier, clerk):
    ours = make_dossier("submitted")
    theirs = make_dossier("submitted", council="13")
    response = login(client, clerk).get("/instruction/")
    assert response.status_code == 200
    body = response.content.decode()
    assert ours.reference in body and theirs.reference not in body
    assert response.context["counts"]["total"] == 1
    # Neither the page of the other council's dossier nor its actions can be reached.
    assert client.get(f"/instruction/dossiers/{theirs.pk}/").status_code == 404
    assert client.post(f"/instruction/dossiers/{theirs.pk}/start_review/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == DossierState.SUBMITTED


def test_queue_filters(client, make_dossier, clerk):
    submitted = make_dossier("submitted")
    reviewed = make_dossier("under_review", clerk=clerk)
    login(client, clerk)
    listed = client.get("/instruction/", {"state": "under_review"}).context["page_obj"].object_list
    assert list(listed) == [reviewed]
    listed = client.get("/instruction/", {"assignee": "none"}).context["page_obj"].object_list
    assert list(listed) == [submitted]
    listed = client.get("/instruction/", {"q": submitted.reference}).context["page_obj"].object_list
    assert list(listed) == [submitted]


def test_queue_query_count_does_not_grow_with_the_list(
    client, make_dossier, clerk, django_assert_max_num_queries
):
    login(client, clerk)
    make_dossier("submitted")
    with django_assert_max_num_queries(20) as few:
        client.get("/instruction/")
    for _ in range(10):
        make_dossier("submitted")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/instruction/")
    assert len(response.context["page_obj"].object_list) == 11


def test_clerk_pages_walk_a_dossier(client, make_dossier, clerk):
    dossier = make_dossier("submitted")
    login(client, clerk)
    page = client.get(f"/instruction/dossiers/{dossier.pk}/")
    assert page.status_code == 200 and "Passer en instruction" in page.content.decode()
    client.post(f"/instruction/dossiers/{dossier.pk}/start_review/")
    client.post(f"/instruction/dossiers/{dossier.pk}/note/", {"body": "À vérifier"})
    client.post(
        f"/instruction/dossiers/{dossier.pk}/refuse/", {"reasons": ""}
    )  # refused: no reasons
    dossier.refresh_from_db()
    assert dossier.state == DossierState.UNDER_REVIEW
    client.post(f"/instruction/dossiers/{dossier.pk}/refuse/", {"reasons": "Pièce falsifiée"})
    dossier.refresh_from_db()
    assert dossier.state == DossierState.REFUSED
    assert "À vérifier" in client.get(f"/instruction/dossiers/{dossier.pk}/").content.decode()


def test_applicant_pages(client, make_dossier, applicant):
    mine = make_dossier("incomplete")
    other = make_dossier("submitted", owner=factories.make_applicant())
    login(client, applicant)
    response = client.get("/mes-dossiers/")
    body = response.content.decode()
    assert mine.reference in body and other.reference not in body
    assert "Ajouter les pièces demandées" in body
    assert client.get(f"/mes-dossiers/{other.pk}/").status_code == 404
    page = client.get(f"/mes-dossiers/{mine.pk}/").content.decode()
    assert "Le conseil attend des pièces" in page
    assert "Notes privées" not in page
    services.dossier_add_private_note(
        actor=factories.make_clerk("75"), dossier=mine, body="secret des instructeurs"
    )
    assert "secret des instructeurs" not in client.get(f"/mes-dossiers/{mine.pk}/").content.decode()
    client.post(f"/mes-dossiers/{mine.pk}/withdraw/")
    mine.refresh_from_db()
    assert mine.state == DossierState.WITHDRAWN


def test_my_dossiers_query_count(client, make_dossier, applicant, django_assert_max_num_queries):
    login(client, applicant)
    make_dossier("submitted")
    with django_assert_max_num_queries(20) as few:
        client.get("/mes-dossiers/")
    for _ in range(5):
        make_dossier("draft")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/mes-dossiers/")


def test_applicant_files_a_dossier_with_a_piece_through_the_pages(client, applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, applicant)
    response = client.post(f"/demarches/{factories.TEST_KIND}/nouveau/", {"c-council": "75"})
    assert response.status_code == 302
    dossier = applicant.dossiers.get()
    pdf = SimpleUploadedFile(
        "id.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    client.post(f"/mes-dossiers/{dossier.pk}/piece/", {"code": "identity", "file": pdf})
    assert dossier.pieces.count() == 1
    client.post(f"/mes-dossiers/{dossier.pk}/submit/")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED


def test_clerks_may_download_the_pieces_of_their_council_only(make_dossier, clerk, other_clerk):
    from ordre.documents.permissions import can_download

    dossier = make_dossier("submitted")
    document = dossier.pieces.get().document
    assert can_download(dossier.applicant, document)
    assert can_download(clerk, document)
    assert not can_download(other_clerk, document)
    assert not can_download(factories.make_applicant(), document)


def test_exports_of_the_filtered_queue(client, make_dossier, clerk):
    import io

    from openpyxl import load_workbook

    from ordre.audit.models import AuditEvent

    ours = make_dossier("submitted")
    theirs = make_dossier("submitted", council="13")
    login(client, clerk)
    response = client.get("/instruction/export.csv", {"state": "submitted"})
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode("utf-8-sig")
    assert ours.reference in text and theirs.reference not in text
    assert text.splitlines()[0].startswith("Dossier;Démarche")
    response = client.get("/instruction/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Dossier", ours.reference]
    assert AuditEvent.objects.filter(action="procedures.queue.exported").count() == 2
    assert client.get("/instruction/export.pdf").status_code == 404


def test_bulk_actions_stay_in_scope(client, make_dossier, clerk):
    first, second = make_dossier("submitted"), make_dossier("submitted")
    theirs = make_dossier("submitted", council="13")
    login(client, clerk)
    client.post(
        "/instruction/actions-groupees/",
        {"action": "start_review", "ids": [first.pk, second.pk, theirs.pk]},
    )
    for dossier in (first, second, theirs):
        dossier.refresh_from_db()
    assert first.state == second.state == DossierState.UNDER_REVIEW
    assert theirs.state == DossierState.SUBMITTED
    response = client.post(
        "/instruction/actions-groupees/", {"action": "start_review", "ids": [first.pk]}, follow=True
    )
    assert "0 dossier(s) traité(s), 1 refusé(s)" in response.content.decode()


def test_bulk_message_and_acceptance(client, make_dossier, clerk):
    first = make_dossier("under_review", clerk=clerk)
    second = make_dossier("submitted")
    login(client, clerk)
    client.post(
        "/instruction/actions-groupees/",
        {"action": "message", "ids": [first.pk, second.pk], "text": "Commission le 12."},
    )
    assert first.messages.get().body == "Commission le 12." and second.messages.count() == 1
    client.post(
        "/instruction/actions-groupees/", {"action": "accept", "ids": [first.pk, second.pk]}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == DossierState.ACCEPTED
    assert second.state == DossierState.SUBMITTED  # not under review: refused by the table
