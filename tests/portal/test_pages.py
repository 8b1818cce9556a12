"""The layout and the portal's own pages."""

import re

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from ordre.portal import navigation

PORTAL_PAGES = [
    ("/", "Le tableau de l’Ordre et vos démarches en ligne"),
    ("/accessibilite/", "Déclaration d’accessibilité"),
    ("/mentions-legales/", "Mentions légales"),
    ("/donnees-personnelles/", "Données personnelles"),
    ("/plan-du-site/", "Plan du site"),
]


@pytest.mark.parametrize(("url", "heading"), PORTAL_PAGES)
def test_portal_pages_render_in_french_without_a_query(client, url, heading):
    # No django_db mark: an anonymous visit that touched the database would fail here.
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert f"<h1>{heading}</h1>" in html
    assert re.search(r"<title>[^<]+ - Ordre des médecins</title>", html) or url == "/"


def test_layout_landmarks_and_skip_links(client):
    html = client.get("/").content.decode()
    assert '<header role="banner" class="fr-header">' in html
    assert '<main id="contenu" role="main" tabindex="-1">' in html
    assert '<footer class="fr-footer" role="contentinfo" id="footer">' in html
    assert 'aria-label="Menu principal"' in html
    # The skip links come before anything else focusable and target existing ids.
    skip = html.index("fr-skiplinks")
    assert skip < html.index("<header")
    for target in ("contenu", "navigation-principale", "footer"):
        assert f'href="#{target}"' in html
        assert f'id="{target}"' in html
    assert "République<br>Française" in html
    assert "/static/dsfr/dist/favicon/favicon.svg" in html
    assert "/static/dsfr/dist/dsfr.module.min.js" in html


def test_anonymous_header_offers_login_and_language_switch(client):
    html = client.get("/").content.decode()
    assert 'href="/comptes/connexion/"' in html
    assert 'action="/i18n/setlang/"' in html
    assert 'name="language" value="en"' in html


def test_every_portal_link_of_the_layout_answers(client):
    html = client.get("/").content.decode()
    links = set(re.findall(r'href="(/[^"#?]*)', html))
    # Links to other apps (menu entries they register, login) are tested by those apps.
    links = {
        link
        for link in links
        if not link.startswith("/static/") and resolve(link).namespace == "portal"
    }
    assert {"/", "/accessibilite/", "/mentions-legales/", "/donnees-personnelles/"} <= links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_static_files_of_the_layout_are_served(client):
    html = client.get("/").content.decode()
    for asset in set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html)):
        response = client.get(asset)
        assert response.status_code == 200, asset
        b"".join(response.streaming_content)


def test_footer_declares_the_accessibility_status(client):
    html = client.get("/").content.decode()
    assert "Accessibilité : non conforme" in html
    assert "Mentions légales" in html and "Données personnelles" in html


@pytest.mark.django_db
def test_language_switch_sets_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/mentions-legales/"})
    assert response.status_code == 302
    assert response["Location"] == "/mentions-legales/"
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    # The layout and the portal pages are translated (ordre/portal/locale/en).
    assert "<title>Home - Ordre des médecins</title>" in html
    assert "Log in" in html and "Accessibility: not compliant" in html
    assert "Se connecter" not in html


def test_language_switch_refuses_an_external_next(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert "evil.example" not in response.get("Location", "")


def _render_home(user, *, with_messages=()):
    request = RequestFactory().get("/")
    request.user = user
    request._messages = CookieStorage(request)
    for level, text in with_messages:
        messages.add_message(request, level, text)
    with translation.override("fr"):
        return render_to_string("portal/home.html", request=request)


@pytest.mark.django_db
def test_authenticated_header_offers_a_logout_form(django_user_model):
    user = django_user_model.objects.create_user(username="jeanne", password="x" * 16)
    html = _render_home(user)
    assert re.search(
        r'<form method="post" action="/comptes/oidc/deconnexion/">\s*<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )
    assert "Se déconnecter" in html
    assert 'href="/comptes/connexion/"' not in html


def test_messages_are_shown_as_dsfr_alerts():
    html = _render_home(
        AnonymousUser(),
        with_messages=[(messages.SUCCESS, "Dossier envoyé."), (messages.ERROR, "Pièce refusée.")],
    )
    assert re.search(r"fr-alert fr-alert--success[^>]*>\s*<p>Dossier envoyé.</p>", html)
    assert re.search(
        r'fr-alert fr-alert--error[^>]*role="alert"[^>]*>\s*<p>Pièce refusée.</p>', html
    )


def test_navigation_shows_only_entries_whose_page_exists(client):
    navigation.register(label="Mentions", url_name="portal:legal_notice", order=50)
    navigation.register(label="Page fantôme", url_name="nowhere:ghost", order=60)
    try:
        html = client.get("/mentions-legales/").content.decode()
        nav = html[
            html.index('id="navigation-principale"') : html.index(
                "</nav>", html.index('id="navigation-principale"')
            )
        ]
        assert 'href="/mentions-legales/" aria-current="page">Mentions</a>' in nav
        assert "Page fantôme" not in nav
        assert 'href="/">Accueil</a>' in nav
    finally:
        navigation.unregister("portal:legal_notice")
        navigation.unregister("nowhere:ghost")


def test_navigation_entry_can_be_restricted_to_some_users(client):
    navigation.register(
        label="Mes dossiers",
        url_name="portal:sitemap",
        visible=lambda user: user.is_authenticated,
    )
    try:
        assert "Mes dossiers" not in client.get("/").content.decode()
    finally:
        navigation.unregister("portal:sitemap")
