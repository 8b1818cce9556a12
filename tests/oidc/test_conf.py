"""Provider settings from the environment, and the login buttons."""

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import RequestFactory

from ordre.oidc.conf import form_action_origins, get_provider, providers_from_env


def build(ordre_env="test", **variables):
    env = environ.Env()
    env.ENVIRON = dict(variables)
    return providers_from_env(env, ordre_env=ordre_env)


def test_development_defaults_point_at_the_local_provider():
    providers = build(OIDC_DEV_PROVIDER_URL="http://127.0.0.1:9999")
    fc, psc = providers["fc"], providers["psc"]
    assert fc["enabled"] and psc["enabled"]
    assert fc["issuer"] == "http://127.0.0.1:9999/fc/api/v2"
    assert fc["id_token_algs"] == ("ES256",)
    assert fc["userinfo_signed"] is True
    assert fc["acr_values"] == "eidas1"
    assert psc["scopes"] == "openid scope_all"
    assert psc["authorize_url"] == "http://127.0.0.1:9999/psc-wallet/auth"
    assert psc["strong_acr"] == ("eidas2",)
    assert fc["strong_acr"] == ()


def test_production_has_no_default_and_refuses_an_incomplete_provider():
    providers = build("prod")
    assert not providers["fc"]["enabled"]
    assert providers["fc"]["issuer"] == ""
    with pytest.raises(ImproperlyConfigured, match="OIDC_PSC_CLIENT_SECRET"):
        build(
            "prod",
            OIDC_PSC_ENABLED="true",
            OIDC_PSC_ISSUER="https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet",
            OIDC_PSC_CLIENT_ID="ordre",
        )
    with pytest.raises(ImproperlyConfigured, match="ID_TOKEN_ALGS"):
        build(
            "prod",
            OIDC_FC_ENABLED="true",
            OIDC_FC_ISSUER="https://oidc.franceconnect.gouv.fr/api/v2",
            OIDC_FC_CLIENT_ID="a",
            OIDC_FC_CLIENT_SECRET="b",
            OIDC_FC_ID_TOKEN_ALGS="HS256",
        )


def test_another_standard_provider_is_configuration_only():
    providers = build(
        "prod",
        OIDC_PROVIDERS="fc,keycloak",
        OIDC_KEYCLOAK_ENABLED="yes",
        OIDC_KEYCLOAK_LABEL="Keycloak de recette",
        OIDC_KEYCLOAK_ISSUER="https://sso.example.org/realms/ordre",
        OIDC_KEYCLOAK_CLIENT_ID="ordre",
        OIDC_KEYCLOAK_CLIENT_SECRET="s3cret",
    )
    keycloak = providers["keycloak"]
    assert keycloak["profile"] == "standard"
    assert keycloak["linking"] == "existing"
    assert keycloak["authorize_url"] == ""  # found through discovery
    assert form_action_origins(providers) == ["https://sso.example.org"]


def test_settings_are_read_at_call_time(settings):
    settings.OIDC_PROVIDERS = build(OIDC_FC_ENABLED="false")
    assert get_provider("fc").enabled is False
    assert get_provider("psc").strong_acr == ("eidas2",)
    assert get_provider("nope") is None


def test_login_buttons_show_only_enabled_providers(settings):
    settings.OIDC_PROVIDERS = build()
    request = RequestFactory().get("/comptes/connexion/", {"next": "/compte/"})
    html = Template("{% load oidc %}{% oidc_buttons %}").render(Context({"request": request}))
    assert "S’identifier avec" in html and "FranceConnect" in html
    assert "Se connecter avec Pro Santé Connect" in html
    assert "/comptes/oidc/fc/connexion/?next=%2Fcompte%2F" in html

    settings.OIDC_PROVIDERS = build(OIDC_FC_ENABLED="false")
    evil = RequestFactory().get("/comptes/connexion/", {"next": "https://evil.example/"})
    html = Template("{% load oidc %}{% oidc_buttons %}").render(Context({"request": evil}))
    assert "FranceConnect" not in html
    assert "evil" not in html
