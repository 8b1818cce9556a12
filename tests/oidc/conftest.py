"""Fixtures: the local identity provider on a free loopback port, the relying party's
settings pointed at it, and a real HTTP browser (httpx with cookies) for the portal
served by pytest-django's `live_server`."""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass

import environ
import httpx
import pytest
from django.contrib.auth.models import Group

from ordre.accounts import roles
from ordre.oidc.conf import form_action_origins, providers_from_env
from ordre.oidc.provider import serve_in_thread

# Every test of the full flow: a live server (its own thread), so committed data (the
# root conftest restores the reference data of migrations after each such test;
# serialized_rollback keeps the flush from re-creating content types under new ids).
flow = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="session")
def local_idp_server():
    server, provider = serve_in_thread("127.0.0.1", 0)
    yield provider
    server.shutdown()
    server.server_close()


def providers_for(base_url: str, **extra: str) -> dict:
    env = environ.Env()
    env.ENVIRON = {"OIDC_DEV_PROVIDER_URL": base_url, **extra}
    return providers_from_env(env, ordre_env="test")


@pytest.fixture
def idp(local_idp_server, settings):
    """The local provider, well-behaved at the start of each test, and the relying
    party's settings pointed at it."""
    local_idp_server.set_mode(None)
    settings.OIDC_PROVIDERS = providers_for(local_idp_server.base_url)
    # As ordre/settings.py does: the logout form may lead to the provider.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [
        *policy["DIRECTIVES"]["form-action"],
        *form_action_origins(settings.OIDC_PROVIDERS),
    ]
    settings.CONTENT_SECURITY_POLICY = policy
    yield local_idp_server
    local_idp_server.set_mode(None)


@pytest.fixture
def role_groups(transactional_db):
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)


@dataclass
class Outcome:
    response: httpx.Response
    callback_url: str

    @property
    def path(self) -> str:
        return self.response.url.path

    @property
    def text(self) -> str:
        return html.unescape(self.response.text)


class Browser:
    """A person's browser: one cookie jar, follows redirects across portal and provider."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.client = httpx.Client(follow_redirects=True, timeout=20)

    def get(self, path: str, **kwargs) -> httpx.Response:
        url = path if path.startswith("http") else self.base_url + path
        return self.client.get(url, **kwargs)

    def post(self, path: str, **kwargs) -> httpx.Response:
        url = path if path.startswith("http") else self.base_url + path
        return self.client.post(url, **kwargs)

    def csrf_token(self, path: str) -> str:
        page = self.get(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, f"no CSRF token on {path} ({page.status_code} {page.url})"
        return match.group(1)

    def start(self, provider: str, query: str = "") -> httpx.Response:
        """Click the provider's button: ends on the provider's authorize page."""
        page = self.get(f"/comptes/oidc/{provider}/connexion/{query}")
        assert page.status_code == 200, page.text[:500]
        return page

    def choose(self, authorize_page: httpx.Response, identity: str, acr: str = "eidas1"):
        """Pick a demo identity on the provider's page; follows back to the portal."""
        response = self.client.post(
            str(authorize_page.url), data={"identity": identity, "acr": acr}
        )
        return Outcome(response, _callback_url(response))

    def login(self, provider: str, identity: str, acr: str = "eidas1") -> Outcome:
        return self.choose(self.start(provider), identity, acr)

    def close(self):
        self.client.close()


def _callback_url(response: httpx.Response) -> str:
    for step in [*response.history, response]:
        if "/retour/" in step.url.path:
            return str(step.url)
    return ""


@pytest.fixture
def person(live_server, idp, role_groups):
    """A person's browser (httpx); `person.open()` gives another one."""
    opened: list[Browser] = []

    def open_browser() -> Browser:
        b = Browser(live_server.url)
        opened.append(b)
        return b

    first = open_browser()
    first.open = open_browser
    yield first
    for b in opened:
        b.close()
