"""The admin of API keys: issue (secret shown once), list, revoke; no edit, no delete."""

import pytest

from ordre.api.keys import hash_token
from ordre.api.models import ApiKey
from ordre.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/api/apikey/"


def test_issue_shows_the_secret_once(api_client, login, it_admin):
    login(it_admin)
    form = api_client.get(f"{CHANGELIST}add/")
    assert form.status_code == 200
    assert b"api.ping" in form.content
    response = api_client.post(
        f"{CHANGELIST}add/",
        {"name": "si-conseil-13", "owner": "Conseil 13", "scopes": ["api.ping"]},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = ApiKey.objects.get(name="si-conseil-13")
    html = response.content.decode()
    secret = html.split('id="api-key-secret">', 1)[1].split("<", 1)[0]
    assert secret.startswith(f"ordre_{key.prefix}_")
    assert hash_token(secret) == key.hashed_secret
    event = AuditEvent.objects.get(action="api.key.issued", target_id=str(key.pk))
    assert event.actor_user_id == it_admin.pk
    # Neither the list nor the detail page shows it again.
    assert secret not in api_client.get(CHANGELIST).content.decode()
    detail = api_client.get(f"{CHANGELIST}{key.pk}/change/")
    assert detail.status_code == 200
    assert secret not in detail.content.decode()
    assert key.hashed_secret not in detail.content.decode()


def test_issue_form_errors(api_client, login, it_admin, issue_key):
    issue_key(name="pris")
    login(it_admin)
    response = api_client.post(f"{CHANGELIST}add/", {"name": "pris", "scopes": ["api.ping"]})
    assert response.status_code == 200
    assert "Une clé porte déjà ce nom." in response.content.decode()
    assert ApiKey.objects.filter(name="pris").count() == 1


def test_revoke_action(api_client, login, it_admin, issue_key):
    issued = issue_key()
    login(it_admin)
    response = api_client.post(
        CHANGELIST,
        {"action": "revoke_selected", "_selected_action": [issued.key.pk]},
    )
    assert response.status_code == 302
    issued.key.refresh_from_db()
    assert issued.key.revoked_at is not None
    assert AuditEvent.objects.filter(
        action="api.key.revoked", target_id=str(issued.key.pk), actor_user_id=it_admin.pk
    ).exists()


def test_changelist_query_count_does_not_grow(
    api_client, login, it_admin, issue_key, django_assert_max_num_queries
):
    for index in range(5):
        issue_key(name=f"k{index}")
    login(it_admin)
    with django_assert_max_num_queries(12):
        response = api_client.get(CHANGELIST)
    assert response.status_code == 200
    for index in range(5, 15):
        issue_key(name=f"k{index}")
    with django_assert_max_num_queries(12):
        api_client.get(CHANGELIST)


def test_no_delete_no_edit(api_client, login, it_admin, issue_key):
    issued = issue_key()
    login(it_admin)
    assert api_client.post(f"{CHANGELIST}{issued.key.pk}/delete/").status_code == 403
    response = api_client.post(f"{CHANGELIST}{issued.key.pk}/change/", {"name": "autre"})
    assert response.status_code == 403
    issued.key.refresh_from_db()
    assert issued.key.name == "si-conseil-75"
