"""The harness itself can fail: it sees CSP violations, console errors and axe violations.

These tests serve their pages through Playwright's routing: no live server, no database.
"""

import pytest

from tests.browser.a11y import accessibility_violations
from tests.browser.fixtures import PageProblems, new_instrumented_page

pytestmark = pytest.mark.browser

ORIGIN = "http://harness.test"


def _serve(page, html: str, *, csp: str = "default-src 'self'") -> None:
    page.route(
        f"{ORIGIN}/**",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": csp},
            body=html,
        ),
    )


def test_csp_violations_and_console_errors_are_reported(browser):
    problems = PageProblems()
    page = new_instrumented_page(browser, problems)
    try:
        _serve(
            page,
            '<!DOCTYPE html><html lang="fr"><head><title>t</title></head><body>'
            '<p style="color: red">x</p><script>console.log("inline ran")</script></body></html>',
        )
        page.goto(f"{ORIGIN}/")
        page.wait_for_timeout(200)  # violation events are dispatched asynchronously
    finally:
        page.context.close()
    text = "\n".join(problems.unexpected())
    assert "CSP violation: script-src" in text
    assert "CSP violation: style-src" in text
    problems.allow("CSP violation|Content Security Policy")
    assert problems.unexpected() == []


def test_axe_reports_the_basics(browser):
    page = new_instrumented_page(browser, PageProblems())
    try:
        _serve(
            page,
            "<!DOCTYPE html><html><head></head><body>"
            '<div><input type="text" name="q"></div>'
            '<p style="color:#bbb;background:#fff">faible contraste</p></body></html>',
            csp="default-src 'self'; style-src 'unsafe-inline'",
        )
        page.goto(f"{ORIGIN}/")
        found = {violation["id"] for violation in accessibility_violations(page)}
    finally:
        page.context.close()
    assert {"html-has-lang", "document-title", "label", "color-contrast"} <= found
    assert {"landmark-one-main", "page-has-heading-one"} <= found
