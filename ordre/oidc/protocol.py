"""The OpenID Connect protocol, relying-party side: no database, no session.

Builds authorization and end-session URLs, exchanges a code for tokens, validates an
id_token (signature with the algorithm pinned per provider, `iss` exact, `aud`,
`azp`, `exp`, `iat`, `nonce`, `acr`) and fetches userinfo (JSON, or a signed JWT
verified like the id_token). Keys and discovery documents are cached; the key set is
fetched again when a token names a `kid` we do not know (key rotation).
Every failure raises `ProtocolError` with a stable reason code for the audit trail.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import string
import time
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.core.cache import cache
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ordre.oidc.conf import ProviderConfig

logger = logging.getLogger(__name__)

NONCE_LENGTH = 64
_NONCE_ALPHABET = string.ascii_letters + string.digits
_CACHE_TTL = 3600


class ProtocolError(Exception):
    """A refusal. `reason` is a short code for the audit trail and the logs (no personal
    data); `configuration` is True when the cause is on our side (logged as an error)."""

    def __init__(self, reason: str, *, configuration: bool = False, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.configuration = configuration
        self.detail = detail


def new_state() -> str:
    return secrets.token_urlsafe(32)


def new_nonce() -> str:
    return "".join(secrets.choice(_NONCE_ALPHABET) for _ in range(NONCE_LENGTH))


def new_code_verifier() -> str:
    return secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43..128


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _timeout() -> float:
    return float(getattr(settings, "OIDC_HTTP_TIMEOUT", 10.0))


def _leeway() -> int:
    return int(getattr(settings, "OIDC_CLOCK_LEEWAY", 30))


def _client() -> httpx.Client:
    return httpx.Client(timeout=_timeout(), follow_redirects=False)


# --------------------------------------------------------------------- endpoints
def _discovery(provider: ProviderConfig) -> dict:
    url = (
        provider.discovery_url or provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    )
    cache_key = "oidc:discovery:" + hashlib.sha256(url.encode()).hexdigest()
    document = cache.get(cache_key)
    if document is None:
        try:
            with _client() as client:
                response = client.get(url)
                response.raise_for_status()
                document = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise ProtocolError("discovery_unavailable", detail=str(error)) from error
        if document.get("issuer") != provider.issuer:
            raise ProtocolError("discovery_issuer_mismatch", configuration=True)
        cache.set(cache_key, document, _CACHE_TTL)
    return document


def endpoint(provider: ProviderConfig, name: str) -> str:
    """An endpoint URL: the configured one, else from the discovery document."""
    configured = getattr(provider, f"{name}_url")
    if configured:
        return configured
    discovery_name = {
        "authorize": "authorization_endpoint",
        "token": "token_endpoint",
        "userinfo": "userinfo_endpoint",
        "jwks": "jwks_uri",
        "end_session": "end_session_endpoint",
    }[name]
    value = _discovery(provider).get(discovery_name, "")
    if not value:
        raise ProtocolError(f"no_{name}_endpoint", configuration=True)
    return value


# --------------------------------------------------------------------- requests
def authorization_url(
    provider: ProviderConfig, *, state: str, nonce: str, redirect_uri: str, verifier: str
) -> str:
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": provider.scopes,
        "state": state,
        "nonce": nonce,
    }
    if provider.acr_values:
        params["acr_values"] = provider.acr_values
    if provider.pkce:
        params["code_challenge"] = code_challenge(verifier)
        params["code_challenge_method"] = "S256"
    return endpoint(provider, "authorize") + "?" + urlencode(params)


def end_session_url(
    provider: ProviderConfig, *, id_token_hint: str, state: str, post_logout_redirect_uri: str
) -> str:
    params = {
        "id_token_hint": id_token_hint,
        "state": state,
        "post_logout_redirect_uri": post_logout_redirect_uri,
    }
    return endpoint(provider, "end_session") + "?" + urlencode(params)


def exchange_code(provider: ProviderConfig, *, code: str, redirect_uri: str, verifier: str) -> dict:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if provider.pkce:
        data["code_verifier"] = verifier
    auth = None
    if provider.token_auth_method == "client_secret_basic":  # noqa: S105 - a method name
        auth = httpx.BasicAuth(provider.client_id, provider.client_secret)
    else:
        data["client_id"] = provider.client_id
        data["client_secret"] = provider.client_secret
    try:
        with _client() as client:
            response = client.post(endpoint(provider, "token"), data=data, auth=auth)
    except httpx.HTTPError as error:
        raise ProtocolError("token_endpoint_unreachable", detail=str(error)) from error
    try:
        payload = response.json()
    except ValueError:
        payload = {}
    if response.status_code != 200:
        error = str(payload.get("error", response.status_code))
        # invalid_client and friends are our configuration; invalid_grant is a used,
        # expired or stolen code.
        raise ProtocolError(
            f"token_error:{error}"[:64],
            configuration=error in {"invalid_client", "unauthorized_client", "invalid_request"},
        )
    if not isinstance(payload.get("id_token"), str) or not payload.get("access_token"):
        raise ProtocolError("token_response_incomplete")
    if str(payload.get("token_type", "")).lower() != "bearer":
        raise ProtocolError("token_type_not_bearer")
    return payload


# --------------------------------------------------------------------- keys
def _jwks_cache_key(url: str) -> str:
    return "oidc:jwks:" + hashlib.sha256(url.encode()).hexdigest()


def _fetch_jwks(url: str) -> dict:
    try:
        with _client() as client:
            response = client.get(url)
            response.raise_for_status()
            document = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise ProtocolError("jwks_unavailable", detail=str(error)) from error
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ProtocolError("jwks_malformed")
    cache.set(_jwks_cache_key(url), document, _CACHE_TTL)
    return document


def _find_key(provider: ProviderConfig, kid: str | None, alg: str):
    """The provider's public key for `kid`, fetching the key set again once when the
    kid is unknown (the provider rotated its keys)."""
    url = endpoint(provider, "jwks")
    document = cache.get(_jwks_cache_key(url))
    for attempt in ("cached", "fresh"):
        if document is None or attempt == "fresh":
            document = _fetch_jwks(url)
        keys = [k for k in document["keys"] if k.get("use", "sig") == "sig"]
        if kid is not None:
            keys = [k for k in keys if k.get("kid") == kid]
        elif len(keys) != 1:
            keys = []
        keys = [k for k in keys if k.get("alg") in (None, alg)]
        if keys:
            try:
                return KeySet.import_key_set({"keys": keys[:1]}).keys[0]
            except (JoseError, ValueError, TypeError) as error:
                raise ProtocolError("jwks_key_invalid") from error
    raise ProtocolError("unknown_kid")


def _verify_jws(provider: ProviderConfig, token: str, *, what: str) -> dict:
    """Verify a compact JWS signed by the provider; returns its claims."""
    try:
        header = jws.extract_compact(token.encode("ascii")).protected
    except (JoseError, ValueError, UnicodeError) as error:
        raise ProtocolError(f"{what}_malformed") from error
    alg = header.get("alg")
    if alg not in provider.id_token_algs:
        raise ProtocolError(f"{what}_algorithm_not_allowed")
    key = _find_key(provider, header.get("kid"), alg)
    try:
        result = jws.deserialize_compact(token, key, algorithms=[alg])
    except JoseError as error:
        raise ProtocolError(f"{what}_bad_signature") from error
    try:
        claims = json.loads(result.payload)
    except ValueError as error:
        raise ProtocolError(f"{what}_malformed") from error
    if not isinstance(claims, dict):
        raise ProtocolError(f"{what}_malformed")
    return claims


def _check_issuer_audience(provider: ProviderConfig, claims: dict, *, what: str) -> None:
    if claims.get("iss") != provider.issuer:
        raise ProtocolError(f"{what}_wrong_issuer")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if provider.client_id not in audiences:
        raise ProtocolError(f"{what}_wrong_audience")
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise ProtocolError(f"{what}_wrong_azp")


def _check_times(claims: dict, *, what: str, required: bool) -> None:
    """`exp` in the future and `iat` neither in the future nor too old (both required in
    an id_token; checked when present in a signed userinfo)."""
    now, leeway = int(time.time()), _leeway()
    exp, iat = claims.get("exp"), claims.get("iat")
    if required and (exp is None or iat is None):
        raise ProtocolError(f"{what}_missing_times")
    for value in (exp, iat):
        if value is not None and (not isinstance(value, int | float) or isinstance(value, bool)):
            raise ProtocolError(f"{what}_malformed_times")
    if exp is not None and exp <= now - leeway:
        raise ProtocolError(f"{what}_expired")
    max_age = int(getattr(settings, "OIDC_ID_TOKEN_MAX_AGE", 600))
    if iat is not None and (iat > now + leeway or iat < now - max_age - leeway):
        raise ProtocolError(f"{what}_bad_iat")


def validate_id_token(provider: ProviderConfig, token: str, *, nonce: str) -> dict:
    claims = _verify_jws(provider, token, what="id_token")
    _check_issuer_audience(provider, claims, what="id_token")
    _check_times(claims, what="id_token", required=True)
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise ProtocolError("id_token_no_subject")
    received = claims.get("nonce")
    if not isinstance(received, str) or not hmac.compare_digest(received, nonce):
        raise ProtocolError("id_token_wrong_nonce")
    if provider.accepted_acr and claims.get("acr") not in provider.accepted_acr:
        raise ProtocolError("id_token_acr_not_accepted")
    return claims


def fetch_userinfo(provider: ProviderConfig, *, access_token: str, subject: str) -> dict:
    try:
        with _client() as client:
            response = client.get(
                endpoint(provider, "userinfo"),
                headers={"Authorization": f"Bearer {access_token}"},
            )
    except httpx.HTTPError as error:
        raise ProtocolError("userinfo_unreachable", detail=str(error)) from error
    if response.status_code != 200:
        raise ProtocolError(f"userinfo_error:{response.status_code}")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/jwt":
        claims = _verify_jws(provider, response.text.strip(), what="userinfo")
        _check_issuer_audience(provider, claims, what="userinfo")
        _check_times(claims, what="userinfo", required=False)
    elif provider.userinfo_signed:
        raise ProtocolError("userinfo_not_signed")
    else:
        try:
            claims = response.json()
        except ValueError as error:
            raise ProtocolError("userinfo_malformed") from error
        if not isinstance(claims, dict):
            raise ProtocolError("userinfo_malformed")
    if claims.get("sub") != subject:
        raise ProtocolError("userinfo_wrong_subject")
    return claims
