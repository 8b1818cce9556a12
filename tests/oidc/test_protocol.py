"""The relying party's protocol functions against the local provider (no portal)."""

import httpx
import pytest

from ordre.oidc import protocol
from ordre.oidc.conf import get_provider
from tests.oidc.conftest import providers_for

REDIRECT = "http://127.0.0.1:1/retour/"


def authorize(url: str, identity: str, acr: str = "eidas1") -> str:
    """What the person's browser does at the provider: returns the code."""
    response = httpx.post(url, data={"identity": identity, "acr": acr})
    assert response.status_code == 302, response.text
    location = httpx.URL(response.headers["location"])
    return location.params["code"]


def round_trip(provider, identity, acr="eidas1"):
    state, nonce, verifier = protocol.new_state(), protocol.new_nonce(), "v" * 50
    url = protocol.authorization_url(
        provider, state=state, nonce=nonce, redirect_uri=REDIRECT, verifier=verifier
    )
    code = authorize(url, identity, acr)
    tokens = protocol.exchange_code(provider, code=code, redirect_uri=REDIRECT, verifier=verifier)
    claims = protocol.validate_id_token(provider, tokens["id_token"], nonce=nonce)
    userinfo = protocol.fetch_userinfo(
        provider, access_token=tokens["access_token"], subject=claims["sub"]
    )
    return claims, userinfo


def test_nonce_is_64_characters():
    nonce = protocol.new_nonce()
    assert len(nonce) == 64 and nonce.isalnum()
    assert protocol.new_nonce() != nonce


def test_a_standard_provider_configured_by_issuer_only_works_through_discovery(
    idp, settings, clear_cache
):
    # The Pro Santé Connect profile of the local provider, seen as any OIDC provider:
    # issuer, client id and secret only; endpoints from its discovery document.
    settings.OIDC_PROVIDERS = providers_for(
        idp.base_url,
        OIDC_PROVIDERS="autre",
        OIDC_AUTRE_ENABLED="true",
        OIDC_AUTRE_ISSUER=idp.issuer("psc"),
        OIDC_AUTRE_CLIENT_ID="ordre-dev-prosanteconnect",
        OIDC_AUTRE_CLIENT_SECRET="dev-only-prosanteconnect-secret",
        OIDC_AUTRE_SCOPES="openid scope_all",
    )
    provider = get_provider("autre")
    assert provider.authorize_url == ""
    claims, userinfo = round_trip(provider, "hospitalier", acr="eidas2")
    assert claims["acr"] == "eidas2"
    activity = userinfo["SubjectRefPro"]["exercices"][0]["activities"][0]
    assert activity["numeroFinessSite"] == "690000880"
    assert userinfo["SubjectNameID"] == "810000000017"


def test_pkce_is_sent_and_checked(idp, clear_cache):
    provider = get_provider("psc")
    assert provider.pkce
    nonce = protocol.new_nonce()
    url = protocol.authorization_url(
        provider, state=protocol.new_state(), nonce=nonce, redirect_uri=REDIRECT, verifier="a" * 50
    )
    assert "code_challenge_method=S256" in url
    code = authorize(url, "medecin")
    with pytest.raises(protocol.ProtocolError) as refused:
        protocol.exchange_code(provider, code=code, redirect_uri=REDIRECT, verifier="b" * 50)
    assert refused.value.reason == "token_error:invalid_grant"


def test_franceconnect_userinfo_must_be_a_signed_jwt(idp, settings, clear_cache):
    claims, userinfo = round_trip(get_provider("fc"), "patient")
    assert claims["acr"] == "eidas1"
    assert userinfo["family_name"] == "PATIENT"
    assert userinfo["iss"] == idp.issuer("fc")

    # Pointed at a provider answering plain JSON (the PSC profile), it refuses.
    settings.OIDC_PROVIDERS["psc"]["userinfo_signed"] = True
    with pytest.raises(protocol.ProtocolError) as refused:
        round_trip(get_provider("psc"), "medecin")
    assert refused.value.reason == "userinfo_not_signed"


def test_an_acr_outside_the_accepted_list_is_refused(idp, settings, clear_cache):
    settings.OIDC_PROVIDERS["psc"]["accepted_acr"] = ("eidas2",)
    with pytest.raises(protocol.ProtocolError) as refused:
        round_trip(get_provider("psc"), "medecin", acr="eidas1")
    assert refused.value.reason == "id_token_acr_not_accepted"


def test_end_session_url_carries_hint_state_and_return():
    provider = get_provider("fc")
    url = httpx.URL(
        protocol.end_session_url(
            provider,
            id_token_hint="tok",
            state="st",
            post_logout_redirect_uri="http://127.0.0.1:8000/retour/",
        )
    )
    assert url.path.endswith("/api/v2/session/end")
    assert dict(url.params) == {
        "id_token_hint": "tok",
        "state": "st",
        "post_logout_redirect_uri": "http://127.0.0.1:8000/retour/",
    }
