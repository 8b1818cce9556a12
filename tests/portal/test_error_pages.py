"""French error pages: each status renders the layout and leaks nothing.

DEBUG is off in the test settings (it is on only when ORDRE_ENV=dev), so these are the
pages production serves. Tests without the django_db mark have no database access:
the error pages of an anonymous visitor must not need it.
"""

import pytest
from django.conf import settings
from django.test import RequestFactory

from ordre.portal import views
from tests.portal.urls import SECRET

pytestmark = pytest.mark.urls("tests.portal.urls")


def _assert_french_layout(html: str) -> None:
    assert '<html lang="fr"' in html
    assert 'id="contenu"' in html
    assert 'role="contentinfo"' in html
    assert "fr-skiplinks" in html
    assert "Page d’accueil" in html


def _assert_leaks_nothing(html: str, *secrets: str) -> None:
    for secret in (*secrets, SECRET, settings.SECRET_KEY, "Traceback", "DEBUG", "settings.py"):
        assert secret not in html


def test_debug_is_off():
    assert settings.DEBUG is False


def test_404_is_french_and_does_not_echo_the_path(client):
    response = client.get("/secret-path-xyz/?q=needle-9b2")
    assert response.status_code == 404
    html = response.content.decode()
    _assert_french_layout(html)
    assert "Page non trouvée" in html
    _assert_leaks_nothing(html, "secret-path-xyz", "needle-9b2")
    assert "<title>Page non trouvée - Ordre des médecins</title>" in html


def test_404_raised_by_a_view_hides_its_message(client):
    response = client.get("/test-erreurs/404/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page non trouvée" in html
    _assert_leaks_nothing(html, "test-erreurs")


@pytest.mark.django_db  # the audit middleware records the refusal
def test_403_is_french_and_hides_the_reason(client):
    response = client.get("/test-erreurs/403/")
    assert response.status_code == 403
    html = response.content.decode()
    _assert_french_layout(html)
    assert "Accès refusé" in html
    _assert_leaks_nothing(html, "test-erreurs")


def test_400_is_french_and_hides_the_reason(client):
    response = client.get("/test-erreurs/400/")
    assert response.status_code == 400
    html = response.content.decode()
    _assert_french_layout(html)
    assert "Requête incorrecte" in html
    _assert_leaks_nothing(html, "test-erreurs")


def test_400_for_a_forged_host_does_not_echo_it(client):
    response = client.get("/", HTTP_HOST="evil-host-3c1.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Requête incorrecte" in html
    _assert_leaks_nothing(html, "evil-host-3c1")


def test_500_is_french_and_hides_the_exception(client):
    client.raise_request_exception = False
    response = client.get("/test-erreurs/500/")
    assert response.status_code == 500
    html = response.content.decode()
    _assert_french_layout(html)
    assert "Erreur inattendue" in html
    _assert_leaks_nothing(html, "test-erreurs", "RuntimeError")


def test_500_renders_without_request_context():
    # No context processor runs, nothing touches the database (this test has no DB access).
    response = views.server_error(RequestFactory().get("/x/"))
    assert response.status_code == 500
    html = response.content.decode()
    _assert_french_layout(html)
    # Without a request there is no login link or language form that could fail.
    assert "set_language" not in html and "csrfmiddlewaretoken" not in html


def test_csrf_failure_page_is_french(client):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulaire expiré" in html
    _assert_leaks_nothing(html, "CSRF cookie not set", "Referer")


def test_error_pages_carry_the_security_headers(client):
    response = client.get("/secret-path-xyz/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
