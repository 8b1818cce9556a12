"""Browser tests: a real Chromium driven by Playwright against pytest-django's live server.

Never a downloaded browser: Debian's `chromium` package (`.ci/run` installs it in CI;
`ORDRE_CHROMIUM` may point elsewhere). Without it, every browser test skips with a
clear message.

Fixtures for everyone:
- `browser` (session): the Chromium instance.
- `page` (function): a fresh context (no cookies, French locale) at the live server's
  URL; the test fails on any console error, uncaught page error or CSP violation.
  `page_problems.allow(regex)` lets a test accept an expected console error.
- `assert_accessible`: the axe-core check of `tests/browser/a11y.py`.
- `login`: `login(page, user)` opens a 2FA-verified session for `user` in the page.

Mark the tests `@pytest.mark.browser` (they need the live server, so transactional DB).
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.browser.a11y import assert_accessible as _assert_accessible

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Reported in the browser's console when the page breaks its Content-Security-Policy.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || ""}:${event.lineNumber || ""}`);
});
"""


def find_chromium() -> str | None:
    configured = os.environ.get("ORDRE_CHROMIUM", "")
    if configured:
        return configured if Path(configured).is_file() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            "browser tests need Debian's Chromium: apt-get install chromium "
            "(or set ORDRE_CHROMIUM to a Chromium executable); never a downloaded browser"
        )
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread (in a greenlet):
    # Django would then refuse ORM calls from the tests (users created for a test, the
    # flush of the transactional database). Only while the browser is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        # launch() gives every run a new, empty, temporary user data dir.
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
    except PlaywrightError as error:
        playwright.stop()
        _restore_environ("DJANGO_ALLOW_ASYNC_UNSAFE", previous)
        pytest.fail(f"Chromium at {executable} did not start: {error}")
    yield chromium
    chromium.close()
    playwright.stop()
    _restore_environ("DJANGO_ALLOW_ASYNC_UNSAFE", previous)


def _restore_environ(name: str, previous: str | None) -> None:
    if previous is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = previous


class PageProblems:
    """Console errors, uncaught exceptions and CSP violations seen by one page."""

    def __init__(self):
        self.problems: list[str] = []
        self._allowed: list[re.Pattern] = []

    def allow(self, pattern: str) -> None:
        """Accept console errors matching `pattern` (a test that expects them)."""
        self._allowed.append(re.compile(pattern))

    def record(self, text: str) -> None:
        self.problems.append(text)

    def unexpected(self) -> list[str]:
        return [p for p in self.problems if not any(a.search(p) for a in self._allowed)]


@pytest.fixture
def page_problems():
    return PageProblems()


def new_instrumented_page(browser, problems: PageProblems, **context_options):
    """A page in a fresh context whose console errors and CSP violations go to `problems`."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", **context_options)
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_LISTENER)
    new_page = context.new_page()

    def on_console(message):
        if message.type in {"error", "assert"}:
            url = (message.location or {}).get("url", "")
            problems.record(f"console {message.type}: {message.text} ({url})")

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: problems.record(f"page error: {error}"))
    return new_page


@pytest.fixture
def page(browser, live_server, page_problems):
    new_page = new_instrumented_page(browser, page_problems, base_url=live_server.url)
    yield new_page
    new_page.context.close()
    unexpected = page_problems.unexpected()
    if unexpected:
        pytest.fail("the page reported errors:\n" + "\n".join(unexpected), pytrace=False)


@pytest.fixture
def assert_accessible():
    return _assert_accessible


@pytest.fixture
def login(live_server):
    """`login(page, user)`: open a session for `user` in the page's browser context.

    The session counts as having passed the second factor (as after a TOTP code), so
    the 2FA middleware lets the user through: a test of a logged-in page starts there.
    """
    from types import SimpleNamespace

    from django.conf import settings
    from django.test import Client

    from ordre.accounts import session_state

    def log_in(page, user, *, method: str = "totp"):
        client = Client()
        client.force_login(user)
        session = client.session
        session_state.set_verified(SimpleNamespace(user=user, session=session), method=method)
        session[session_state.STARTED_AT_KEY] = session_state.now()
        session.save()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )

    return log_in
