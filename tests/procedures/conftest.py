import pytest

from tests.procedures import factories


@pytest.fixture(autouse=True)
def _councils(db):
    """The councils are loaded by a migration; a transactional test elsewhere may have
    flushed them."""
    from ordre.councils.models import Council
    from ordre.councils.reference import EXPECTED_COUNT, load_councils

    if Council.objects.count() != EXPECTED_COUNT:
        load_councils(Council)


@pytest.fixture(autouse=True)
def _test_kind():
    factories.register_test_kind()
    factories.ACCEPTED.clear()
    yield


@pytest.fixture
def applicant(db):
    return factories.make_applicant()


@pytest.fixture
def clerk(db):
    return factories.make_clerk("75")


@pytest.fixture
def other_clerk(db):
    return factories.make_clerk("13")


@pytest.fixture
def make_dossier(applicant):
    """A dossier of the test kind in council 75, brought to `state` through the services."""
    from ordre.audit.actors import SystemActor
    from ordre.procedures import services

    def build(state: str = "draft", *, clerk=None, owner=None, council: str = "75"):
        owner = owner or applicant
        dossier = services.dossier_create(actor=owner, kind=factories.TEST_KIND, council=council)
        if state == "draft":
            return dossier
        services.dossier_add_piece(
            actor=owner, dossier=dossier, code="identity", document=factories.make_document(owner)
        )
        if state == "withdrawn":
            return services.dossier_withdraw(actor=owner, dossier=dossier)
        dossier = services.dossier_submit(actor=owner, dossier=dossier)
        if state == "submitted":
            return dossier
        clerk = clerk or factories.make_clerk(council)
        if state == "incomplete":
            services.dossier_request_pieces(actor=clerk, dossier=dossier, codes=["other"])
            dossier.refresh_from_db()
            return dossier
        dossier = services.dossier_start_review(actor=clerk, dossier=dossier)
        if state == "under_review":
            return dossier
        if state == "accepted":
            return services.dossier_accept(actor=clerk, dossier=dossier)
        if state == "refused":
            return services.dossier_refuse(actor=clerk, dossier=dossier, reasons="Motif.")
        if state == "implicitly_refused":
            from datetime import timedelta

            from django.utils import timezone

            dossier = services.dossier_mark_complete(actor=clerk, dossier=dossier)
            later = dossier.deadline + timedelta(seconds=1)
            return services.dossier_refuse_implicitly(
                actor=SystemActor("task:test"), dossier=dossier, now=max(later, timezone.now())
            )
        raise ValueError(state)

    return build
