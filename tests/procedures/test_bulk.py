"""Bulk actions of the clerk's queue: request pieces and refuse, through the services, one
audit event per dossier, a summary of what succeeded and what was refused and why."""

import pytest

from ordre.audit.models import AuditEvent
from ordre.procedures.enums import DossierState
from ordre.procedures.models import PieceRequest
from tests.procedures import factories
from tests.procedures.test_pages import login

pytestmark = pytest.mark.django_db

BULK = "/instruction/actions-groupees/"


def test_bulk_request_pieces(client, make_dossier, clerk):
    submitted = make_dossier("submitted")
    reviewed = make_dossier("under_review", clerk=clerk)
    accepted = make_dossier("accepted", clerk=clerk)
    theirs = make_dossier("submitted", council="13")
    login(client, clerk)
    response = client.post(
        BULK,
        {
            "action": "request_pieces",
            "ids": [submitted.pk, reviewed.pk, accepted.pk, theirs.pk],
            "codes": ["other"],
            "text": "Merci de joindre un justificatif de domicile.",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "2 dossier(s) traité(s), 1 refusé(s)." in body
    assert (
        f"{accepted.reference} : Action « Demander des pièces » impossible sur un dossier "
        "à l’état « Accepté »"
    ) in body
    assert theirs.reference not in body  # out of scope: neither done nor told
    for dossier in (submitted, reviewed, accepted, theirs):
        dossier.refresh_from_db()
    assert submitted.state == reviewed.state == DossierState.INCOMPLETE
    assert accepted.state == DossierState.ACCEPTED and theirs.state == DossierState.SUBMITTED
    requests = PieceRequest.objects.filter(dossier__in=[submitted, reviewed])
    assert [r.codes for r in requests] == [["other"], ["other"]]
    assert {r.comment for r in requests} == {"Merci de joindre un justificatif de domicile."}
    events = AuditEvent.objects.filter(action="procedures.dossier.request_pieces")
    assert sorted(int(e.target_id) for e in events) == sorted([submitted.pk, reviewed.pk])


def test_bulk_request_pieces_needs_pieces_or_a_message(client, make_dossier, clerk):
    first, second = make_dossier("submitted"), make_dossier("submitted")
    login(client, clerk)
    response = client.post(
        BULK, {"action": "request_pieces", "ids": [first.pk, second.pk]}, follow=True
    )
    body = response.content.decode()
    assert "0 dossier(s) traité(s), 2 refusé(s)." in body
    assert f"{first.reference} : Indiquez les pièces demandées" in body
    assert not PieceRequest.objects.exists()


def test_bulk_piece_choices_follow_the_kind_filter(client, clerk):
    login(client, clerk)
    assert "bulk-codes-identity" not in client.get("/instruction/").content.decode()
    page = client.get("/instruction/", {"kind": factories.TEST_KIND}).content.decode()
    assert "bulk-codes-identity" in page and "bulk-codes-other" in page


def test_bulk_refusal_with_reasons(client, make_dossier, clerk):
    reviewed = make_dossier("under_review", clerk=clerk)
    submitted = make_dossier("submitted")
    login(client, clerk)
    response = client.post(BULK, {"action": "refuse", "ids": [reviewed.pk]}, follow=True)
    assert f"{reviewed.reference} : Un refus doit être motivé." in response.content.decode()
    response = client.post(
        BULK,
        {"action": "refuse", "ids": [reviewed.pk, submitted.pk], "text": "Hors délai."},
        follow=True,
    )
    assert "1 dossier(s) traité(s), 1 refusé(s)." in response.content.decode()
    reviewed.refresh_from_db()
    submitted.refresh_from_db()
    assert reviewed.state == DossierState.REFUSED and reviewed.refusal_reasons == "Hors délai."
    assert submitted.state == DossierState.SUBMITTED
    assert AuditEvent.objects.filter(action="procedures.dossier.refuse").count() == 1


def test_bulk_summary_details_at_most_twenty_refusals(client, make_dossier, clerk):
    from ordre.procedures import views

    dossiers = [make_dossier("submitted") for _ in range(3)]
    login(client, clerk)
    views.BULK_DETAILS, saved = 2, views.BULK_DETAILS
    try:
        response = client.post(
            BULK, {"action": "accept", "ids": [d.pk for d in dossiers]}, follow=True
        )
    finally:
        views.BULK_DETAILS = saved
    body = response.content.decode()
    assert "0 dossier(s) traité(s), 3 refusé(s)." in body and " ; …" in body
