"""Swagger UI and ReDoc start in a real Chromium under the strict CSP (no violation,
no console error: the `page` fixture fails the test otherwise)."""

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_the_schema(page):
    response = page.goto("/api/docs/")
    assert response.status == 200
    page.wait_for_selector(".swagger-ui .info .title")
    assert "API Ordre" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector("text=/api/v1/ping/")


def test_redoc_renders_the_schema(page, page_problems):
    # ReDoc's "Redocly" logo comes from a CDN: the CSP refuses it (nothing leaves the
    # browser) and ReDoc hides the image. That refusal is the only report accepted.
    page_problems.allow(r"cdn\.redoc\.ly/redoc/logo-mini\.svg")
    response = page.goto("/api/redoc/")
    assert response.status == 200
    page.wait_for_selector("h1:has-text('API Ordre')")
    page.wait_for_selector("text=/api/v1/ping/")


def test_swagger_ui_calls_the_api_with_a_key(page):
    from ordre.api.services import issue_api_key
    from ordre.audit.actors import SystemActor

    issued = issue_api_key(actor=SystemActor("test"), name="swagger", scopes=["api.ping"])
    page.goto("/api/docs/")
    page.click(".swagger-ui .btn.authorize")
    page.fill(".auth-container input[type=text]", f"Api-Key {issued.secret}")
    page.click(".auth-container .auth-btn-wrapper button.authorize")
    page.click(".auth-container .auth-btn-wrapper button.btn-done")
    page.click(".opblock-summary-path:has-text('/api/v1/ping/')")
    page.click(".try-out__btn")
    page.click(".btn.execute")
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert "pong" in page.locator(".live-responses-table .microlight").first.inner_text()
