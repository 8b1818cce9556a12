"""Assignment to a clerk and to a rapporteur: dossier page, bulk action, API. The choices
are the members of the dossier's council; anyone else is refused."""

import pytest

from ordre.audit.models import AuditEvent
from tests.procedures import factories
from tests.procedures.test_pages import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return factories.make_clerk("75")


@pytest.fixture
def rapporteur(db):
    user = factories.make_user()
    factories.add_membership(user, "75", role="rapporteur")
    return user


def test_dossier_page_offers_the_members_of_the_council_only(
    client, make_dossier, clerk, colleague, other_clerk, rapporteur
):
    dossier = make_dossier("submitted")
    page = login(client, clerk).get(f"/instruction/dossiers/{dossier.pk}/")
    form = page.context["assign_form"]
    assert set(form.fields["clerk"].queryset) == {clerk, colleague}
    assert set(form.fields["rapporteur"].queryset) == {clerk, colleague, rapporteur}
    body = page.content.decode()
    assert colleague.username in body and other_clerk.username not in body


def test_clerk_assigns_a_colleague_and_a_rapporteur_from_the_page(
    client, make_dossier, clerk, colleague, rapporteur
):
    dossier = make_dossier("submitted")
    login(client, clerk)
    response = client.post(
        f"/instruction/dossiers/{dossier.pk}/assign/",
        {"clerk": colleague.pk, "rapporteur": rapporteur.pk},
        follow=True,
    )
    assert "C’est fait." in response.content.decode()
    dossier.refresh_from_db()
    assert (dossier.assigned_clerk, dossier.rapporteur) == (colleague, rapporteur)
    event = AuditEvent.objects.filter(action="procedures.dossier.assign").get()
    assert event.changes["assigned_clerk"] == [None, colleague.pk]
    assert event.changes["rapporteur"] == [None, rapporteur.pk]
    # The bare button still means "assign to me" (and leaves the rapporteur alone).
    client.post(f"/instruction/dossiers/{dossier.pk}/assign/")
    dossier.refresh_from_db()
    assert (dossier.assigned_clerk, dossier.rapporteur) == (clerk, rapporteur)


def test_a_member_of_another_council_is_refused_on_the_page(
    client, make_dossier, clerk, other_clerk
):
    dossier = make_dossier("submitted")
    login(client, clerk)
    response = client.post(
        f"/instruction/dossiers/{dossier.pk}/assign/", {"clerk": other_clerk.pk}, follow=True
    )
    assert "Cet instructeur n’appartient pas au conseil du dossier." in response.content.decode()
    response = client.post(
        f"/instruction/dossiers/{dossier.pk}/assign/", {"rapporteur": other_clerk.pk}, follow=True
    )
    assert "Ce rapporteur n’appartient pas au conseil du dossier." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.assigned_clerk is None and dossier.rapporteur is None
    assert not AuditEvent.objects.filter(action="procedures.dossier.assign").exists()


def test_bulk_assign_to_a_chosen_clerk(client, make_dossier, clerk, colleague, other_clerk):
    first, second = make_dossier("submitted"), make_dossier("submitted")
    theirs = make_dossier("submitted", council="13")
    login(client, clerk)
    response = client.post(
        "/instruction/actions-groupees/",
        {"action": "assign", "assignee": colleague.pk, "ids": [first.pk, second.pk, theirs.pk]},
        follow=True,
    )
    assert "2 dossier(s) traité(s), 0 refusé(s)." in response.content.decode()
    for dossier in (first, second, theirs):
        dossier.refresh_from_db()
    assert first.assigned_clerk == second.assigned_clerk == colleague
    assert theirs.assigned_clerk is None
    assert AuditEvent.objects.filter(action="procedures.dossier.assign").count() == 2
    # A clerk of another council is not a choice.
    response = client.post(
        "/instruction/actions-groupees/",
        {"action": "assign", "assignee": other_clerk.pk, "ids": [first.pk]},
        follow=True,
    )
    assert "Choisissez un instructeur de votre conseil." in response.content.decode()
    first.refresh_from_db()
    assert first.assigned_clerk == colleague


def test_bulk_assign_refuses_a_clerk_of_another_of_my_councils(client, make_dossier):
    """A clerk of 75 and 13 picks a colleague of 13 only: the dossiers of 75 are refused,
    with the reason."""
    both = factories.make_clerk("75", "13")
    only13 = factories.make_clerk("13")
    ours75, ours13 = make_dossier("submitted"), make_dossier("submitted", council="13")
    login(client, both)
    response = client.post(
        "/instruction/actions-groupees/",
        {"action": "assign", "assignee": only13.pk, "ids": [ours75.pk, ours13.pk]},
        follow=True,
    )
    body = response.content.decode()
    assert "1 dossier(s) traité(s), 1 refusé(s)." in body
    assert f"{ours75.reference} : Cet instructeur n’appartient pas au conseil du dossier." in body
    ours75.refresh_from_db()
    ours13.refresh_from_db()
    assert ours75.assigned_clerk is None and ours13.assigned_clerk == only13


def test_api_assign(client, make_dossier, clerk, colleague, rapporteur, other_clerk):
    dossier = make_dossier("submitted")
    url = f"/api/v1/dossiers/instruction/{dossier.pk}/actions/assign/"
    login(client, clerk)
    response = client.post(
        url, {"clerk": colleague.pk, "rapporteur": rapporteur.pk}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (response.json()["assigned_clerk"], response.json()["rapporteur"]) == (
        colleague.pk,
        rapporteur.pk,
    )
    refused = client.post(url, {"clerk": other_clerk.pk}, content_type="application/json")
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "n’appartient pas au conseil" in refused.content.decode()
    assert client.post(url, {}, content_type="application/json").status_code == 400
    response = client.post(url, {"rapporteur": None}, content_type="application/json")
    assert response.json()["rapporteur"] is None
    assert response.json()["assigned_clerk"] == colleague.pk
    # A decided dossier can no longer be assigned: 409.
    decided = make_dossier("accepted", clerk=clerk)
    url = f"/api/v1/dossiers/instruction/{decided.pk}/actions/assign/"
    conflict = client.post(url, {"clerk": clerk.pk}, content_type="application/json")
    assert conflict.status_code == 409
    assert AuditEvent.objects.filter(action="procedures.dossier.assign").count() == 2


def test_api_lists_who_may_be_assigned(
    client, make_dossier, clerk, colleague, rapporteur, other_clerk, django_assert_max_num_queries
):
    dossier = make_dossier("submitted")
    url = f"/api/v1/dossiers/instruction/{dossier.pk}/assignees/"
    login(client, clerk)
    with django_assert_max_num_queries(20) as few:
        data = client.get(url).json()
    assert {p["id"] for p in data["clerks"]} == {clerk.pk, colleague.pk}
    assert {p["id"] for p in data["rapporteurs"]} == {clerk.pk, colleague.pk, rapporteur.pk}
    for _ in range(3):
        factories.make_clerk("75")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).json()["clerks"]) == 5
    login(client, other_clerk)
    assert client.get(url).status_code == 404
