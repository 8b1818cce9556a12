"""OpenAPI schema and the documentation pages, served locally under the strict CSP."""

import re
from html.parser import HTMLParser

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.test import Client
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[dict] = []
        self.inline_styles = 0
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "script" and not attrs.get("src"):
            self.inline_scripts.append(attrs)
        if tag == "style" or "style" in attrs:
            self.inline_styles += 1


def _assets(html: str) -> _Assets:
    parser = _Assets()
    parser.feed(html)
    return parser


def test_schema_is_openapi_3():
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)  # against the OpenAPI 3 JSON schema
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]
    assert "/api/v1/ping/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["apiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schema["components"]["securitySchemes"]["apiKey"]["description"],
    }
    # Every operation documents its problem+json errors.
    assert "Problem" in schema["components"]["schemas"]
    ping = schema["paths"]["/api/v1/ping/"]["get"]["responses"]
    assert set(ping) >= {"200", "401", "403", "429"}
    assert ping["403"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    # The documentation pages are not API operations.
    assert not any(path.startswith(("/api/docs", "/api/redoc")) for path in schema["paths"])


def test_schema_as_json():
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "API Ordre"


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_use_local_assets_only_and_no_inline_script(url):
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assets = _assets(html)
    assert assets.urls
    for asset in assets.urls:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    # Only JSON data blocks, which browsers do not execute.
    assert all(attrs.get("type") == "application/json" for attrs in assets.inline_scripts)
    assert assets.inline_scripts
    assert assets.inline_styles == 0
    assert not re.search(r"https?://", html)
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src


def test_swagger_page_carries_the_schema_url_and_csrf_token():
    response = Client().get("/api/docs/")
    html = response.content.decode()
    assert '"schemaUrl": "/api/schema/"' in html
    assert '"csrfHeaderName": "X-CSRFTOKEN"' in html
