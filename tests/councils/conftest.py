import pytest

from ordre.councils.models import Council
from ordre.councils.reference import EXPECTED_COUNT, load_councils


@pytest.fixture(autouse=True)
def councils(db):
    """The reference rows: loaded by migration, restored after a transactional test's flush."""
    if Council.objects.count() != EXPECTED_COUNT:
        load_councils(Council)


@pytest.fixture
def admin_client(client, django_user_model):
    """An IT admin whose session passed the second factor (the admin requires both)."""
    from django.contrib.auth.models import Group

    from ordre.accounts import roles, session_state

    user = django_user_model.objects.create(username="dsi", is_staff=True, is_superuser=True)
    # get_or_create: a transactional test elsewhere may have flushed the migrated groups.
    user.groups.add(Group.objects.get_or_create(name=roles.IT_ADMIN)[0])
    client.force_login(user)
    session = client.session
    session[session_state.VERIFIED_KEY] = {"user": user.pk, "method": "test", "at": 0}
    session.save()
    return client
