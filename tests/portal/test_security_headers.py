"""Security headers of the portal pages."""

import re

import pytest


def test_home_carries_a_strict_csp_with_a_nonce(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    directives = {}
    for part in csp.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    script_src = directives["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    nonce = re.search(r"'nonce-([A-Za-z0-9+/=]+)'", script_src)
    assert nonce, script_src
    # The scripts of the page carry the nonce of the header.
    assert f'nonce="{nonce.group(1)}"' in response.content.decode()
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_each_response_has_its_own_nonce(client):
    first = re.search(r"'nonce-([^']+)'", client.get("/")["Content-Security-Policy"])
    second = re.search(r"'nonce-([^']+)'", client.get("/")["Content-Security-Policy"])
    assert first.group(1) != second.group(1)


def test_home_carries_the_other_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_anonymous_home_may_be_cached(client):
    # Nothing personal on it: no no-store for the anonymous home page.
    assert "no-store" not in client.get("/").get("Cache-Control", "")


@pytest.mark.django_db
def test_pages_for_a_logged_in_user_are_not_stored(client, django_user_model):
    user = django_user_model.objects.create_user(username="jeanne", password="x" * 16)
    client.force_login(user)
    # Whatever comes back (the page, or a redirect to 2FA), it must not be stored.
    for url in ("/", "/mentions-legales/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], (url, response.status_code)
