import pytest

from rpps import demo
from rpps.models import DirectoryEntry, ImportRun


@pytest.mark.django_db
def test_demo_load_is_idempotent():
    demo.load()
    demo.load()
    assert DirectoryEntry.objects.count() == demo.DEMO_LINES
    assert ImportRun.objects.count() == 1
    assert not DirectoryEntry.objects.filter(rpps__startswith="1000").exists()
