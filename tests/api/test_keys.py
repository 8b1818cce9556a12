"""API keys: issuing, storage, authentication, revocation, expiry, audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ordre.api.keys import hash_token
from ordre.api.models import ApiKey
from ordre.api.services import LAST_USED_RESOLUTION, revoke_api_key
from ordre.audit.actors import SystemActor
from ordre.audit.models import AuditEvent
from tests.api.helpers import key_header

pytestmark = pytest.mark.django_db

PING = "/api/v1/ping/"


def test_issue_returns_the_secret_once_and_stores_only_its_hash(issue_key):
    issued = issue_key(owner="SI du conseil de Paris", council_code="75")
    assert issued.secret.startswith(f"ordre_{issued.key.prefix}_")
    key = ApiKey.objects.get(pk=issued.key.pk)
    assert key.hashed_secret == hash_token(issued.secret)
    secret_part = issued.secret.rsplit("_", 1)[-1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apikey WHERE id = %s", [key.pk])
        row = cursor.fetchone()
    stored = " ".join(str(value) for value in row)
    assert issued.secret not in stored
    assert secret_part[:16] not in stored


def test_the_database_refuses_a_clear_secret(issue_key):
    issued = issue_key()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiKey.objects.filter(pk=issued.key.pk).update(hashed_secret=issued.secret[:64])


def test_issue_and_revoke_are_audited(issue_key):
    issued = issue_key(name="si-hopital")
    event = AuditEvent.objects.get(action="api.key.issued", target_id=str(issued.key.pk))
    assert event.target_type == "api.apikey"
    assert event.actor_label == "test"
    assert issued.secret not in str(event.changes)
    revoke_api_key(actor=SystemActor("test"), key=issued.key, reason="fuite")
    revoked = AuditEvent.objects.get(action="api.key.revoked", target_id=str(issued.key.pk))
    assert revoked.reason == "fuite"
    # Revoking twice records nothing more.
    revoke_api_key(actor=SystemActor("test"), key=issued.key)
    assert AuditEvent.objects.filter(action="api.key.revoked").count() == 1


def test_council_code_is_checked_and_normalised(issue_key):
    assert issue_key(name="c7", council_code="7").key.council_code == "07"
    assert issue_key(name="c2a", council_code="2a").key.council_code == "2A"
    with pytest.raises(ValidationError) as error:
        issue_key(name="c99", council_code="99")
    assert "council_code" in error.value.message_dict


def test_unknown_scope_and_duplicate_name_are_refused(issue_key):
    with pytest.raises(ValidationError) as error:
        issue_key(scopes=["api.ping", "api.pnig"])
    assert "api.pnig" in str(error.value)
    issue_key(name="unique")
    with pytest.raises(ValidationError):
        issue_key(name="unique")


def test_a_valid_key_authenticates(api_client, issue_key):
    issued = issue_key()
    response = api_client.get(PING, **key_header(issued.secret))
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "pong",
        "version": "v1",
        "client": "api-key:si-conseil-75",
    }


@pytest.mark.parametrize(
    "header",
    [
        "Api-Key ordre_00000000_" + "A" * 43,  # well-formed, unknown
        "Api-Key not-a-key",
        "Api-Key",
        "Api-Key a b",
    ],
)
def test_bad_keys_get_a_401_problem(api_client, issue_key, header):
    issue_key()
    response = api_client.get(PING, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'


def test_a_tampered_secret_is_refused(api_client, issue_key):
    issued = issue_key()
    tampered = issued.secret[:-1] + ("A" if issued.secret[-1] != "A" else "B")
    assert api_client.get(PING, **key_header(tampered)).status_code == 401


def test_a_revoked_key_is_refused(api_client, issue_key):
    issued = issue_key()
    assert api_client.get(PING, **key_header(issued.secret)).status_code == 200
    revoke_api_key(actor=SystemActor("test"), key=issued.key)
    response = api_client.get(PING, **key_header(issued.secret))
    assert response.status_code == 401
    assert response.json()["detail"] == "Cette clé d'API a été révoquée."


def test_an_expired_key_is_refused(api_client, issue_key):
    issued = issue_key(expires_at=timezone.now() + timedelta(hours=1))
    assert api_client.get(PING, **key_header(issued.secret)).status_code == 200
    ApiKey.objects.filter(pk=issued.key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api_client.get(PING, **key_header(issued.secret))
    assert response.status_code == 401
    assert response.json()["detail"] == "Cette clé d'API a expiré."


def test_last_used_at_is_written_at_most_once_a_minute(
    api_client, issue_key, django_assert_num_queries
):
    issued = issue_key()
    assert issued.key.last_used_at is None
    api_client.get(PING, **key_header(issued.secret))
    first = ApiKey.objects.get(pk=issued.key.pk).last_used_at
    assert first is not None
    # A second call within the minute: one SELECT of the key, no UPDATE.
    with django_assert_num_queries(1):
        api_client.get(PING, **key_header(issued.secret))
    assert ApiKey.objects.get(pk=issued.key.pk).last_used_at == first
    # Older than the resolution: written again.
    old = timezone.now() - LAST_USED_RESOLUTION - timedelta(seconds=1)
    ApiKey.objects.filter(pk=issued.key.pk).update(last_used_at=old)
    api_client.get(PING, **key_header(issued.secret))
    assert ApiKey.objects.get(pk=issued.key.pk).last_used_at > first


def test_missing_scope_is_a_403_problem(api_client, issue_key):
    issued = issue_key(scopes=[])
    response = api_client.get(PING, **key_header(issued.secret))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "api.ping" in response.json()["detail"]


def test_a_view_without_required_scopes_is_closed_to_keys(api_client, issue_key, test_urls):
    issued = issue_key()
    response = api_client.get("/api/test/no-scope/", **key_header(issued.secret))
    assert response.status_code == 403
    assert response.json()["detail"] == "Ce point d'accès n'est pas ouvert aux clés d'API."


def test_issue_and_revoke_commands(capsys):
    call_command("issue_api_key", "si-cli", "--scope", "api.ping", "--expires-in-days", "30")
    secret = capsys.readouterr().out.strip()
    key = ApiKey.objects.get(name="si-cli")
    assert key.hashed_secret == hash_token(secret)
    assert key.expires_at > timezone.now() + timedelta(days=29)
    event = AuditEvent.objects.get(action="api.key.issued", target_id=str(key.pk))
    assert event.actor_label == "command:issue_api_key"
    call_command("revoke_api_key", key.prefix, "--reason", "test")
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_demo_key_is_idempotent_and_authenticates(api_client, settings):
    from ordre.api import demo

    demo.load()
    demo.load()
    key = ApiKey.objects.get(name=demo.DEMO_KEY_NAME)
    assert key.council_code == "75"
    token = demo.logins()[0]["login"].removeprefix("Authorization: Api-Key ")
    assert api_client.get(PING, **key_header(token)).status_code == 200
    # Revoked by someone: the next load gives it back.
    revoke_api_key(actor=SystemActor("test"), key=key)
    demo.load()
    assert api_client.get(PING, **key_header(token)).status_code == 200
    assert ApiKey.objects.filter(name=demo.DEMO_KEY_NAME).count() == 1


def test_demo_keys_are_refused_in_production(settings):
    from django.core.exceptions import ImproperlyConfigured

    from ordre.api.services import restore_demo_api_key

    settings.IS_PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        restore_demo_api_key(actor=SystemActor("test"), name="x", scopes=[])
