import pytest


@pytest.fixture(autouse=True)
def _councils(db):
    """The councils are loaded by a migration; a transactional test elsewhere may have
    flushed them."""
    from ordre.councils.models import Council
    from ordre.councils.reference import EXPECTED_COUNT, load_councils

    if Council.objects.count() != EXPECTED_COUNT:
        load_councils(Council)
