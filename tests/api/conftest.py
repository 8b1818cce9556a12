import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from ordre.api.services import issue_api_key
from ordre.audit.actors import SystemActor


@pytest.fixture
def api_client():
    return APIClient(raise_request_exception=False)


@pytest.fixture
def test_urls(settings):
    settings.ROOT_URLCONF = "tests.api.urls"


@pytest.fixture
def it_admin(db):
    from django.contrib.auth.models import Group

    from ordre.accounts.roles import IT_ADMIN

    user = get_user_model().objects.create_user(
        username="dsi", password="un mot de passe assez long", is_staff=True, is_superuser=True
    )
    user.groups.add(Group.objects.get_or_create(name=IT_ADMIN)[0])
    return user


@pytest.fixture
def issue_key(db):
    def issue(name="si-conseil-75", scopes=("api.ping",), **kwargs):
        return issue_api_key(actor=SystemActor("test"), name=name, scopes=list(scopes), **kwargs)

    return issue


@pytest.fixture
def login(api_client):
    """Log a person in with a session that passed the second factor."""
    from ordre.accounts import session_state

    def do_login(user):
        api_client.force_login(user)
        session = api_client.session
        session[session_state.VERIFIED_KEY] = {"user": user.pk, "method": "test", "at": 0}
        session[session_state.STARTED_AT_KEY] = session_state.now()
        session[session_state.SEEN_AT_KEY] = session_state.now()
        session.save()
        return user

    return do_login


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Production-strength PBKDF2 costs ~0.5 s per password; these tests need no such cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
