import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import Client

from ordre.accounts import services, session_state
from ordre.accounts.models import UserSession
from ordre.audit.models import AuditEvent
from tests.accounts.conftest import PASSWORD, verify_session

pytestmark = pytest.mark.django_db


def logged_in_client(user, agent="Navigateur"):
    """A browser that logged in with the password, then passed the second factor."""
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post("/comptes/connexion/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    verify_session(client, user)
    return client


def test_absolute_lifetime_ends_the_session(verified_client, user):
    session = verified_client.session
    key = session.session_key
    session[session_state.STARTED_AT_KEY] = (
        session_state.now() - settings.SESSION_ABSOLUTE_LIFETIME - 1
    )
    session.save()
    response = verified_client.get("/comptes/compte/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/?")
    assert "expiree=1" in response["Location"]
    assert not Session.objects.filter(session_key=key).exists()
    assert UserSession.objects.get(session_key=key).end_reason == "absolute_lifetime"
    expired = AuditEvent.objects.get(action="accounts.session.expired")
    assert expired.target_id == str(user.pk)
    assert expired.ip == "127.0.0.1" and expired.request_id
    page = verified_client.get(response["Location"])
    assert "Votre session a expiré" in page.content.decode()


def test_session_within_lifetime_goes_on(verified_client):
    session = verified_client.session
    session[session_state.STARTED_AT_KEY] = session_state.now() - 60
    session.save()
    assert verified_client.get("/comptes/compte/").status_code == 200


def test_sessions_page_lists_and_ends_the_others(user, django_assert_max_num_queries):
    first = logged_in_client(user, "Firefox")
    second = logged_in_client(user, "Chromium")
    third = logged_in_client(user, "Safari")
    with django_assert_max_num_queries(12):
        page = first.get("/comptes/sessions/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("Terminer cette session") == 3
    assert "Firefox" in html and "Chromium" in html and "Cette session" in html

    response = first.post("/comptes/sessions/terminer-les-autres/")
    assert response.status_code == 302
    assert second.get("/comptes/compte/")["Location"].startswith("/comptes/connexion/")
    assert third.get("/comptes/compte/")["Location"].startswith("/comptes/connexion/")
    assert first.get("/comptes/compte/").status_code == 200
    assert AuditEvent.objects.get(action="accounts.sessions.ended").changes == {"count": [None, 2]}


def test_end_one_session(user, make_user):
    first = logged_in_client(user)
    second = logged_in_client(user)
    second_row = UserSession.objects.get(session_key=second.session.session_key)
    # Someone else's session cannot be reached.
    stranger = logged_in_client(make_user("autre"))
    assert stranger.post(f"/comptes/sessions/{second_row.pk}/terminer/").status_code == 404
    assert first.post(f"/comptes/sessions/{second_row.pk}/terminer/").status_code == 302
    assert second.get("/comptes/compte/").status_code == 302
    assert first.get("/comptes/compte/").status_code == 200


def test_disabling_a_user_ends_all_their_sessions(user, it_admin):
    clients = [logged_in_client(user) for _ in range(2)]
    with transaction.atomic():
        services.disable_user(actor=it_admin, user=user, reason="départ")
    for client in clients:
        assert client.get("/comptes/compte/").status_code == 302
    assert not UserSession.objects.filter(user=user, ended_at__isnull=True).exists()
    disabled = AuditEvent.objects.get(action="accounts.user.disabled")
    assert disabled.actor_user_id == it_admin.pk
    assert disabled.changes == {"is_active": [True, False]}
    ended = AuditEvent.objects.get(action="accounts.sessions.ended")
    assert ended.actor_user_id == it_admin.pk


def test_disabling_through_a_plain_save_also_ends_sessions(user):
    client = logged_in_client(user)
    user.is_active = False
    user.save()
    assert client.get("/comptes/compte/").status_code == 302
    assert not UserSession.objects.filter(user=user, ended_at__isnull=True).exists()


def test_admin_action_ends_a_users_sessions(user, it_admin):
    victim = logged_in_client(user)
    admin_client = logged_in_client(it_admin)
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "end_sessions", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    assert victim.get("/comptes/compte/").status_code == 302
    assert admin_client.get("/comptes/compte/").status_code == 200
    event = AuditEvent.objects.get(action="accounts.sessions.ended", target_id=str(user.pk))
    assert event.actor_user_id == it_admin.pk


def test_changing_the_email_needs_recent_reauthentication(verified_client, user):
    session = verified_client.session
    session[session_state.REAUTH_AT_KEY] = session_state.now() - 6 * 60
    session.save()
    response = verified_client.get("/comptes/compte/modifier/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/reauthentification/")

    wrong = verified_client.post(
        "/comptes/reauthentification/", {"password": "faux", "next": "/comptes/compte/modifier/"}
    )
    assert "Mot de passe ou code incorrect" in wrong.content.decode()
    right = verified_client.post(
        "/comptes/reauthentification/", {"password": PASSWORD, "next": "/comptes/compte/modifier/"}
    )
    assert right["Location"] == "/comptes/compte/modifier/"
    saved = verified_client.post(
        "/comptes/compte/modifier/",
        {"first_name": "Jeanne", "last_name": "Martin", "email": "jeanne@exemple.fr"},
    )
    assert saved.status_code == 302
    user.refresh_from_db()
    assert user.email == "jeanne@exemple.fr"
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "accounts.reauth.failed" in actions and "accounts.reauth.succeeded" in actions
    updated = AuditEvent.objects.get(action="accounts.profile.updated")
    assert "jeanne@exemple.fr" not in str(updated.changes)


def test_regenerating_backup_codes_needs_recent_reauthentication(verified_client, user):
    session = verified_client.session
    session[session_state.REAUTH_AT_KEY] = session_state.now() - 6 * 60
    session.save()
    response = verified_client.post("/comptes/double-authentification/codes-de-secours/")
    assert response["Location"].startswith("/comptes/reauthentification/")
    session = verified_client.session
    session[session_state.REAUTH_AT_KEY] = session_state.now()
    session.save()
    response = verified_client.post("/comptes/double-authentification/codes-de-secours/")
    assert response.status_code == 200
    assert response.content.decode().count("<code>") == 10


def test_account_page(verified_client):
    response = verified_client.get("/comptes/compte/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mon compte" in html and "/comptes/sessions/" in html
    assert "Régénérer mes codes de secours" in html


def test_admin_resets_lost_second_factors(user, it_admin):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ordre.accounts.models import BackupCode

    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    with transaction.atomic():
        services.backup_codes_regenerate(actor=user, user=user)
    victim = logged_in_client(user)
    admin_client = logged_in_client(it_admin)
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factors", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not BackupCode.objects.filter(user=user).exists()
    assert victim.get("/comptes/compte/").status_code == 302
    event = AuditEvent.objects.get(action="accounts.second_factors.reset")
    assert event.actor_user_id == it_admin.pk
    # Next login: enrolment again.
    fresh = Client()
    fresh.post("/comptes/connexion/", {"username": user.username, "password": PASSWORD})
    assert fresh.get("/")["Location"].startswith("/comptes/double-authentification/activation/")


def test_password_change_applies_the_rules_and_ends_other_sessions(user):
    current = logged_in_client(user)
    other = logged_in_client(user)
    url = "/comptes/compte/mot-de-passe/"
    weak = current.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Soleil2024!!",
            "new_password2": "Soleil2024!!",
        },
    )
    assert weak.status_code == 200
    assert "divulgués" in weak.content.decode()
    new = "Lune-Cerisier-Tambour-41"
    done = current.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert current.get("/comptes/compte/").status_code == 200
    assert other.get("/comptes/compte/").status_code == 302
    assert AuditEvent.objects.filter(action="accounts.password.changed").exists()
    assert UserSession.objects.filter(user=user, ended_at__isnull=True).count() == 1


def test_idle_timeout_ends_the_session(verified_client):
    import datetime as dt

    from django.utils import timezone

    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 3600
    key = verified_client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = verified_client.get("/comptes/compte/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/")
