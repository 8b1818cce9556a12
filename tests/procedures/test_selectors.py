"""Scoping: a clerk of council A can neither see, count nor reach council B's dossiers."""

import pytest

from ordre.procedures import selectors
from ordre.procedures.models import Dossier
from tests.procedures import factories

pytestmark = pytest.mark.django_db


def test_clerks_see_and_count_only_their_councils(make_dossier, clerk, other_clerk):
    paris = [make_dossier("submitted"), make_dossier("under_review", clerk=clerk)]
    marseille = make_dossier("submitted", council="13")
    draft = make_dossier("draft")
    assert set(selectors.dossiers_for_clerk(clerk)) == set(paris)
    assert list(selectors.dossiers_for_clerk(other_clerk)) == [marseille]
    counts = selectors.dossier_counts_for_clerk(clerk)
    assert counts["submitted"] == 1 and counts["under_review"] == 1 and counts["total"] == 2
    assert selectors.dossier_counts_for_clerk(other_clerk)["total"] == 1
    with pytest.raises(Dossier.DoesNotExist):
        selectors.dossier_for_clerk(other_clerk, paris[0].pk)
    with pytest.raises(Dossier.DoesNotExist):  # drafts are the applicant's business
        selectors.dossier_for_clerk(clerk, draft.pk)
    # Filtering on another council does not widen the scope.
    assert list(selectors.dossiers_for_clerk(clerk, {"council": "13"})) == []


def test_a_member_without_the_clerk_role_sees_nothing(make_dossier):
    make_dossier("submitted")
    member = factories.make_user(councils=["75"])  # membership but no clerk role
    assert list(selectors.dossiers_for_clerk(member)) == []
    applicant = factories.make_applicant()
    assert list(selectors.dossiers_for_clerk(applicant)) == []


def test_a_clerk_of_two_councils_sees_both(make_dossier):
    both = factories.make_clerk("75", "13")
    make_dossier("submitted")
    make_dossier("submitted", council="13")
    make_dossier("submitted", council="69")
    assert selectors.dossier_counts_for_clerk(both)["total"] == 2


def test_filters(make_dossier, clerk):
    mine = make_dossier("under_review", clerk=clerk)
    other = make_dossier("submitted")
    assert list(selectors.dossiers_for_clerk(clerk, {"assignee": "me"})) == [mine]
    assert list(selectors.dossiers_for_clerk(clerk, {"assignee": "none"})) == [other]
    assert list(selectors.dossiers_for_clerk(clerk, {"state": "submitted"})) == [other]
    assert set(selectors.dossiers_for_clerk(clerk, {"state": "pending"})) == {mine, other}
    assert list(selectors.dossiers_for_clerk(clerk, {"q": mine.reference})) == [mine]
    assert list(selectors.dossiers_for_clerk(clerk, {"kind": "nope"})) == []
    assert list(selectors.dossiers_for_clerk(clerk, {"overdue": True})) == []
    counts = selectors.dossier_counts_for_clerk(clerk, {"state": "submitted"})
    assert counts["total"] == 2  # counts ignore the state filter: they label its tabs


def test_applicants_see_only_their_dossiers(make_dossier, applicant):
    mine = make_dossier("incomplete")
    someone = factories.make_applicant()
    make_dossier("submitted", owner=someone)
    listed = list(selectors.dossiers_for_applicant(applicant))
    assert listed == [mine]
    assert listed[0].open_piece_requests == 1
    with pytest.raises(Dossier.DoesNotExist):
        selectors.dossier_for_applicant(someone, mine.pk)


def test_clerk_list_query_count(make_dossier, clerk, django_assert_num_queries):
    for _ in range(5):
        make_dossier("submitted")
    clerk = type(clerk).objects.get(pk=clerk.pk)  # no cached scope
    # groups (role), councils (scope), the probe for outgoing transfers, the list itself,
    # its applicants and councils (prefetched; no assigned clerk here).
    with django_assert_num_queries(6):
        rows = [
            (d.reference, d.applicant.username, d.council.name)
            for d in selectors.dossiers_for_clerk(clerk)
        ]
    assert len(rows) == 5
