"""The pages render in a real browser without console error or CSP violation, pass axe,
and work with the keyboard.

Each test here needs the live server, hence a transactional database that is emptied
after it (about 3 s): pages are grouped per test to keep the suite fast.
"""

import pytest

pytestmark = pytest.mark.browser

PORTAL_PAGES = [
    ("/", 200, "Accueil - Ordre des médecins"),
    ("/accessibilite/", 200, "Déclaration d’accessibilité - Ordre des médecins"),
    ("/mentions-legales/", 200, "Mentions légales - Ordre des médecins"),
    ("/donnees-personnelles/", 200, "Données personnelles - Ordre des médecins"),
    ("/plan-du-site/", 200, "Plan du site - Ordre des médecins"),
    ("/secret-path-xyz/", 404, "Page non trouvée - Ordre des médecins"),
]


def _dsfr_started(page) -> None:
    # The DSFR module flags the document once its components are running.
    page.wait_for_selector("html[data-fr-js='true']", state="attached")


def test_portal_pages(page, page_problems, assert_accessible):
    # Chromium logs the 404 status of the error page itself as a console error.
    page_problems.allow(r"status of 404 \(Not Found\) \(http://[^/]+/secret-path-xyz/\)")
    for url, status, title in PORTAL_PAGES:
        response = page.goto(url)
        assert response.status == status, url
        _dsfr_started(page)
        assert page.title() == title
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.get_by_role("banner").is_visible()
        assert page.get_by_role("main").is_visible()
        assert page.get_by_role("contentinfo").is_visible()
        assert page.get_by_role("heading", level=1).count() == 1, url
        assert_accessible(page)
    assert "secret-path-xyz" not in page.content()


def test_keyboard_mobile_menu_and_language_switch(page):
    page.goto("/")
    _dsfr_started(page)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.textContent.trim(), document.activeElement.getAttribute('href')]"
    )
    assert focused == ["Contenu", "#contenu"]
    # A focused skip link is visible (RGAA 12.7).
    assert page.locator(".fr-skiplinks a[href='#contenu']").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "contenu"

    # The DSFR language menu opens and switches the language with the keyboard alone.
    page.locator("header .fr-translate__btn").first.focus()
    page.keyboard.press("Enter")
    english = page.locator("header .fr-translate__menu button[value='en']").first
    english.wait_for(state="visible")
    english.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("html[lang='en']")

    # On a phone, the main navigation lives in the DSFR modal behind the "Menu" button.
    page.set_viewport_size({"width": 375, "height": 740})
    nav = page.locator("#navigation-principale")
    assert not nav.is_visible()
    page.locator("#bouton-menu").click()
    nav.wait_for(state="visible")
    page.keyboard.press("Escape")
    nav.wait_for(state="hidden")


def test_logged_in_layout_and_logout(page, login, django_user_model, assert_accessible):
    user = django_user_model.objects.create_user(
        username="jeanne.martin", password="x" * 16, first_name="Jeanne", last_name="Martin"
    )
    login(page, user)
    response = page.goto("/")
    assert response.status == 200
    assert response.headers["cache-control"].startswith("no-store")
    _dsfr_started(page)
    assert page.get_by_text("Vous êtes connecté(e) en tant que Jeanne Martin.").is_visible()
    assert_accessible(page)
    page.locator("header").get_by_role("button", name="Se déconnecter").first.click()
    page.wait_for_url("**/")
    assert page.locator("header").get_by_role("link", name="Se connecter").first.is_visible()


def test_login_page(page, assert_accessible):
    # Owned by the accounts app: only what must stay true whatever its design.
    response = page.goto("/comptes/connexion/")
    assert response.status == 200
    assert page.title()
    assert page.locator("main form").count() >= 1
    fields = page.locator("main form input:visible:not([type=hidden]):not([type=submit])")
    assert fields.count() >= 1
    for index in range(fields.count()):
        field_id = fields.nth(index).get_attribute("id")
        assert field_id and page.locator(f"label[for='{field_id}']").count() == 1, field_id
    assert_accessible(page)


def test_admin_login_page(page, assert_accessible):
    response = page.goto("/admin/login/")
    assert response.status == 200
    assert page.locator("input[name=username]").is_visible()
    assert page.locator("label[for=id_username]").count() == 1
    assert_accessible(page)
