"""The clerk's workspace in a real browser: assignment to a colleague and a rapporteur
from the dossier page, a bulk request for pieces from the queue; both pages accessible."""

import pytest

from ordre.procedures.enums import DossierState
from tests.procedures import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_clerk_assigns_and_requests_pieces_in_bulk(page, login, make_dossier, assert_accessible):
    clerk = factories.make_clerk("75")
    colleague = factories.make_clerk("75")
    rapporteur = factories.make_user()
    factories.add_membership(rapporteur, "75", role="rapporteur")
    first, second = make_dossier("submitted"), make_dossier("submitted")

    login(page, clerk)
    page.goto(f"/instruction/dossiers/{first.pk}/")
    assert_accessible(page)
    page.select_option("#id_clerk", str(colleague.pk))
    page.select_option("#id_rapporteur", str(rapporteur.pk))
    page.click("#attribuer button[type=submit]")
    page.wait_for_load_state()
    first.refresh_from_db()
    assert (first.assigned_clerk_id, first.rapporteur_id) == (colleague.pk, rapporteur.pk)

    page.goto(f"/instruction/?kind={factories.TEST_KIND}")
    assert_accessible(page)
    page.check(f"#sel-{first.pk}")
    page.check(f"#sel-{second.pk}")
    page.select_option("#bulk-action", "request_pieces")
    page.click("label[for=bulk-codes-other]")  # DSFR: the label covers the box
    page.fill("#bulk-text", "Merci de compléter.")
    page.click("#bulk button[type=submit]")
    page.wait_for_load_state()
    assert "2 dossier(s) traité(s), 0 refusé(s)." in page.content()
    for dossier in (first, second):
        dossier.refresh_from_db()
        assert dossier.state == DossierState.INCOMPLETE
