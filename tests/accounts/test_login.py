import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from ordre.accounts.models import UserSession
from ordre.audit.models import AuditEvent
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/comptes/connexion/"


def test_login_page_is_french_dsfr_with_labelled_fields(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in html
    assert '<label class="fr-label" for="id_username">Identifiant' in html
    assert 'for="id_password">Mot de passe</label>' in html
    assert 'autocomplete="current-password"' in html


def test_password_login_gives_a_new_session_id_and_is_audited(client, user):
    # An anonymous session exists before login (fixation attempt): it must not survive.
    session = client.session
    session["trace"] = "avant"
    session.save()
    before = session.session_key
    response = client.post(LOGIN, {"username": "jeanne", "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    tracked = UserSession.objects.get(user=user)
    assert tracked.session_key == after and tracked.ended_at is None
    assert tracked.ip == "127.0.0.1"
    event = AuditEvent.objects.get(action="accounts.login.succeeded")
    assert event.actor_user_id == user.pk and event.target_id == str(user.pk)
    # The second factor comes next.
    assert client.get("/")["Location"].startswith("/comptes/double-authentification/")


def test_failed_login_is_refused_in_french_and_audited(client, user):
    response = client.post(LOGIN, {"username": "jeanne", "password": "mauvais"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()
    event = AuditEvent.objects.get(action="accounts.login.failed")
    assert event.actor_user_id is None
    assert event.target_id == str(user.pk)


def test_lockout_after_repeated_failures(client, user):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert client.post(LOGIN, {"username": "jeanne", "password": "mauvais"}).status_code == 200
    locked = client.post(LOGIN, {"username": "jeanne", "password": "mauvais"})
    assert locked.status_code == 429
    assert "Compte temporairement bloqué" in locked.content.decode()
    # Even the right password is refused now.
    again = client.post(LOGIN, {"username": "jeanne", "password": PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("accounts.login.failed") >= limit
    assert "accounts.login.locked_out" in actions


def test_logout_is_post_only_and_ends_the_server_session(verified_client, user):
    key = verified_client.session.session_key
    assert verified_client.get("/comptes/deconnexion/").status_code == 405
    response = verified_client.post("/comptes/deconnexion/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert UserSession.objects.get(session_key=key).end_reason == "logout"
    assert AuditEvent.objects.filter(action="accounts.session.logged_out").exists()
    assert verified_client.get("/comptes/compte/").status_code == 302
