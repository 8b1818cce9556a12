"""Every API error is an RFC 9457 `application/problem+json`, in French by default."""

import pytest
from django.test import Client

from tests.api.helpers import key_header
from tests.api.views import RUN

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
MEMBERS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert set(body) >= MEMBERS
    assert body["status"] == status
    assert body["instance"] == response.wsgi_request.path
    assert body["request_id"] == response["X-Request-ID"]
    return body


def test_validation_error_lists_fields_and_messages(api_client, test_urls):
    response = api_client.post(
        "/api/test/validate/",
        {"name": "beaucoup trop long", "address": {"city": "Paris"}},
        format="json",
    )
    body = assert_problem(response, 400)
    assert body["type"] == "urn:ordre:problem:validation"
    assert body["title"] == "Requête invalide"
    assert body["detail"] == "Les données envoyées ne sont pas valides."
    assert set(body["errors"]) == {"name", "born_on", "address.city"}
    assert body["errors"]["born_on"] == ["Ce champ est obligatoire."]
    assert all(isinstance(m, str) for messages in body["errors"].values() for m in messages)


def test_non_field_errors(api_client, test_urls):
    response = api_client.post(
        "/api/test/validate/",
        {"name": "bad", "born_on": "2000-01-01", "address": {}},
        format="json",
    )
    body = assert_problem(response, 400)
    assert body["errors"] == {"non_field_errors": ["Combinaison refusée."]}


def test_malformed_json_is_a_400_problem(api_client, test_urls):
    response = api_client.generic(
        "POST", "/api/test/validate/", "{not json", content_type="application/json"
    )
    body = assert_problem(response, 400)
    assert body["type"] == "about:blank"


def test_unauthenticated_is_401(api_client):
    body = assert_problem(api_client.get("/api/v1/me/"), 401)
    assert body["title"] == "Authentification requise"
    assert body["detail"] == "Informations d'authentification non fournies."


def test_missing_scope_is_403(api_client, issue_key):
    issued = issue_key(scopes=[])
    body = assert_problem(api_client.get("/api/v1/ping/", **key_header(issued.secret)), 403)
    assert body["title"] == "Accès refusé"


def test_unknown_url_under_api_is_a_404_problem(api_client):
    body = assert_problem(api_client.get("/api/v1/nothing-here/"), 404)
    assert body["title"] == "Ressource introuvable"
    assert body["type"] == "about:blank"


def test_the_portal_keeps_its_html_404(db):
    response = Client().get("/page-qui-n-existe-pas/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_method_not_allowed_is_405_with_allow(api_client, issue_key):
    issued = issue_key()
    response = api_client.delete("/api/v1/ping/", **key_header(issued.secret))
    body = assert_problem(response, 405)
    assert body["title"] == "Méthode non autorisée"
    assert "GET" in response["Allow"]


def test_throttled_is_429_with_retry_after(api_client, test_urls):
    run = "anon"
    for _ in range(2):
        assert api_client.get("/api/test/throttled/", {"run": run}).status_code == 200
    response = api_client.get("/api/test/throttled/", {"run": run})
    body = assert_problem(response, 429)
    assert int(response["Retry-After"]) > 0
    assert body["retry_after"] == int(response["Retry-After"])
    assert body["title"] == "Trop de requêtes"


def test_api_key_rate_is_per_key(api_client, issue_key, test_urls):
    first = issue_key(name=f"a-{RUN}")
    second = issue_key(name=f"b-{RUN}")
    for _ in range(2):
        response = api_client.get("/api/test/key-throttled/", **key_header(first.secret))
        assert response.status_code == 200
    response = api_client.get("/api/test/key-throttled/", **key_header(first.secret))
    assert_problem(response, 429)
    assert "Retry-After" in response
    # Another key has its own budget.
    response = api_client.get("/api/test/key-throttled/", **key_header(second.secret))
    assert response.status_code == 200


def test_unhandled_exception_is_a_500_problem_leaking_nothing(api_client, test_urls):
    response = api_client.get("/api/test/boom/")
    body = assert_problem(response, 500)
    assert body["title"] == "Erreur interne du serveur"
    content = response.content.decode()
    assert "SELECT" not in content
    assert "RuntimeError" not in content
    assert "Traceback" not in content


def test_titles_follow_accept_language(api_client):
    response = api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    body = assert_problem(response, 401)
    assert body["title"] == "Authentication required"
    assert body["detail"] == "Authentication credentials were not provided."
    response = api_client.get("/api/v1/nothing/", HTTP_ACCEPT_LANGUAGE="en")
    assert assert_problem(response, 404)["title"] == "Not found"
