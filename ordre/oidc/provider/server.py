"""The local OpenID Connect provider: one WSGI application, two profiles (fc, psc).

Endpoints per profile (paths in `defaults.PROFILE_PATHS`): discovery
(`<issuer>/.well-known/openid-configuration`), authorize (a page to pick a demo
identity), token, userinfo, JWKS and end-session. State lives in memory.

Misbehaviour switches (`LocalProvider.mode`, or `POST /_control` with
`{"mode": ...}` when the control endpoint is enabled) make it send what a broken or
hostile provider would, so tests can prove the relying party refuses it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import html
import ipaddress
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, RSAKey

from ordre.oidc.provider import identities as ids
from ordre.oidc.provider.defaults import (
    DEV_CLIENTS,
    PROFILE_ALGORITHMS,
    PROFILE_PATHS,
)

MODES = (
    None,
    "wrong_nonce",
    "wrong_audience",
    "wrong_issuer",
    "expired",
    "bad_signature",
    "unknown_kid",
    "wrong_algorithm",
    "replay_code",
    "userinfo_bad_signature",
    "userinfo_wrong_subject",
    "logout_wrong_state",
)

CODE_TTL = 60
TOKEN_TTL = 60


@dataclass
class Grant:
    profile: str
    client_id: str
    redirect_uri: str
    nonce: str
    identity_key: str
    acr: str
    code_challenge: str
    created: float = field(default_factory=time.time)
    used: bool = False


def _b64url_sha256(value: str) -> str:
    digest = hashlib.sha256(value.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _is_loopback_uri(uri: str) -> bool:
    parts = urlsplit(uri)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def _new_key(profile: str, kid: str):
    if PROFILE_ALGORITHMS[profile] == "ES256":
        return ECKey.generate_key("P-256", parameters={"kid": kid, "use": "sig", "alg": "ES256"})
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


class LocalProvider:
    """The WSGI application. `base_url` is where it is reachable (scheme, host, port)."""

    def __init__(
        self,
        base_url: str,
        *,
        clients: dict[str, tuple[str, str]] | None = None,
        mode: str | None = None,
        control: bool = False,
    ):
        self.base_url = base_url.rstrip("/")
        self.clients = dict(clients or DEV_CLIENTS)
        self.mode = mode
        self.control = control
        self._lock = threading.Lock()
        self._grants: dict[str, Grant] = {}
        self._tokens: dict[str, tuple[Grant, float]] = {}
        self._keys: dict[str, list] = {p: [_new_key(p, f"{p}-1")] for p in PROFILE_PATHS}
        self._routes = {}
        for profile, paths in PROFILE_PATHS.items():
            self._routes[paths["issuer"] + "/.well-known/openid-configuration"] = (
                self.discovery,
                profile,
            )
            for name in ("authorize", "token", "userinfo", "jwks", "end_session"):
                self._routes[paths[name]] = (getattr(self, name), profile)

    # ----------------------------------------------------------------- helpers
    def issuer(self, profile: str) -> str:
        return self.base_url + PROFILE_PATHS[profile]["issuer"]

    def url(self, profile: str, name: str) -> str:
        return self.base_url + PROFILE_PATHS[profile][name]

    def set_mode(self, mode: str | None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode

    def rotate_key(self, profile: str) -> str:
        """Add a new signing key (published in the JWKS) and sign with it from now on."""
        with self._lock:
            kid = f"{profile}-{len(self._keys[profile]) + 1}-{secrets.token_hex(3)}"
            self._keys[profile].append(_new_key(profile, kid))
            return kid

    def jwks_dict(self, profile: str) -> dict:
        return KeySet(list(self._keys[profile])).as_dict(private=False)

    def _sign(self, profile: str, claims: dict, *, typ: str = "JWT") -> str:
        key = self._keys[profile][-1]
        alg = PROFILE_ALGORITHMS[profile]
        header = {"alg": alg, "kid": key.kid, "typ": typ}
        if self.mode == "bad_signature":
            key = _new_key(profile, key.kid)  # same kid, another key
        elif self.mode == "unknown_kid":
            key = _new_key(profile, "unknown-" + secrets.token_hex(4))
            header["kid"] = key.kid
        elif self.mode == "wrong_algorithm":
            # A symmetric signature with the client secret: the classic confusion attack.
            from joserfc.jwk import OctKey

            secret = self.clients.get(profile, ("", "x"))[1]
            key = OctKey.import_key(secret.encode())
            header = {"alg": "HS256", "kid": header["kid"], "typ": typ}
            return jwt.encode(header, claims, key, algorithms=["HS256"])
        return jwt.encode(header, claims, key, algorithms=[alg])

    def _verify_own(self, profile: str, token: str) -> dict | None:
        try:
            value = jwt.decode(
                token, KeySet(list(self._keys[profile])), algorithms=[PROFILE_ALGORITHMS[profile]]
            )
        except (JoseError, ValueError):
            return None
        return value.claims

    def _client_ok(self, profile: str, client_id: str, secret: str | None = None) -> bool:
        expected = self.clients.get(profile)
        if not expected or not hmac.compare_digest(expected[0], client_id or ""):
            return False
        return secret is None or hmac.compare_digest(expected[1], secret)

    # ----------------------------------------------------------------- WSGI
    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        form: dict[str, str] = {}
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            if environ.get("CONTENT_TYPE", "").startswith("application/json"):
                with contextlib.suppress(ValueError):
                    form = json.loads(body or b"{}")
            else:
                form = {k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()}
        request = {"environ": environ, "method": method, "query": query, "form": form}
        if path == "/_control" and self.control and method == "POST":
            status, headers, body = self.control_endpoint(request)
        elif path == "/":
            status, headers, body = self.index(request)
        elif path in self._routes:
            handler, profile = self._routes[path]
            status, headers, body = handler(request, profile)
        else:
            status, headers, body = _json(404, {"error": "not_found"})
        start_response(_status(status), headers)
        return [body]

    # ----------------------------------------------------------------- endpoints
    def control_endpoint(self, request):
        form = request["form"]
        try:
            if "mode" in form:
                self.set_mode(form["mode"] or None)
            if form.get("rotate"):
                self.rotate_key(form["rotate"])
        except ValueError as error:
            return _json(400, {"error": str(error)})
        return _json(200, {"mode": self.mode})

    def index(self, request):
        items = "".join(
            f"<li>{html.escape(p)}: <a href='{html.escape(self.issuer(p))}/.well-known/"
            f"openid-configuration'>{html.escape(self.issuer(p))}</a></li>"
            for p in PROFILE_PATHS
        )
        return _html(
            200, "Fournisseur d'identité local", f"<p>Profils (développement) :</p><ul>{items}</ul>"
        )

    def discovery(self, request, profile):
        alg = PROFILE_ALGORITHMS[profile]
        document = {
            "issuer": self.issuer(profile),
            "authorization_endpoint": self.url(profile, "authorize"),
            "token_endpoint": self.url(profile, "token"),
            "userinfo_endpoint": self.url(profile, "userinfo"),
            "jwks_uri": self.url(profile, "jwks"),
            "end_session_endpoint": self.url(profile, "end_session"),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise" if profile == "fc" else "public"],
            "id_token_signing_alg_values_supported": [alg],
            "userinfo_signing_alg_values_supported": [alg] if profile == "fc" else [],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "acr_values_supported": ["eidas1"] if profile == "fc" else ["eidas1", "eidas2"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": (
                [
                    "openid",
                    "given_name",
                    "family_name",
                    "birthdate",
                    "birthplace",
                    "birthcountry",
                    "gender",
                    "email",
                    "preferred_username",
                ]
                if profile == "fc"
                else ["openid", "scope_all"]
            ),
        }
        return _json(200, document)

    def jwks(self, request, profile):
        return _json(200, self.jwks_dict(profile))

    def authorize(self, request, profile):
        params = request["query"]
        client_id = params.get("client_id", "")
        redirect_uri = params.get("redirect_uri", "")
        if not self._client_ok(profile, client_id):
            return _html(400, "Erreur", "<p>Client inconnu (client_id).</p>")
        if not _is_loopback_uri(redirect_uri):
            return _html(400, "Erreur", "<p>redirect_uri refusée : boucle locale seulement.</p>")
        state = params.get("state", "")

        def back(**values):
            values["state"] = state
            return 302, [("Location", f"{redirect_uri}?{urlencode(values)}")], b""

        if params.get("response_type") != "code" or "openid" not in params.get("scope", "").split(
            " "
        ):
            return back(error="invalid_request", error_description="response_type")
        if len(params.get("nonce", "")) < 32 or len(state) < 32:
            return back(error="invalid_request", error_description="nonce or state")
        challenge = params.get("code_challenge", "")
        if challenge and params.get("code_challenge_method") != "S256":
            return back(error="invalid_request", error_description="PKCE S256 only")

        if request["method"] != "POST":
            return self._authorize_page(profile, redirect_uri)

        form = request["form"]
        if form.get("decision") == "deny":
            return back(error="access_denied", error_description="User refused")
        try:
            identity = ids.identity(form.get("identity", ""))
        except KeyError:
            return _html(400, "Erreur", "<p>Identité inconnue.</p>")
        if identity.profile != profile:
            return _html(400, "Erreur", "<p>Identité d'un autre profil.</p>")
        acr = form.get("acr") or "eidas1"
        if acr not in (("eidas1",) if profile == "fc" else ("eidas1", "eidas2")):
            return _html(400, "Erreur", "<p>Niveau inconnu.</p>")
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._grants[code] = Grant(
                profile=profile,
                client_id=client_id,
                redirect_uri=redirect_uri,
                nonce=params["nonce"],
                identity_key=identity.key,
                acr=acr,
                code_challenge=challenge,
            )
        return back(code=code)

    def _authorize_page(self, profile, redirect_uri):
        name = "FranceConnect" if profile == "fc" else "Pro Santé Connect"
        options = (
            [("eidas1", "Se connecter")]
            if profile == "fc"
            else [("eidas2", "Carte CPS (eidas2)"), ("eidas1", "e-CPS sur téléphone (eidas1)")]
        )
        rows = []
        for identity in ids.identities_for(profile):
            buttons = "".join(
                f'<button type="submit" name="acr" value="{acr}">{html.escape(text)}</button> '
                for acr, text in options
            )
            rows.append(
                "<li><form method='post'>"
                f"<input type='hidden' name='identity' value='{html.escape(identity.key)}'>"
                f"<strong>{html.escape(identity.label)}</strong><br>{buttons}</form></li>"
            )
        deny = (
            "<form method='post'><button type='submit' name='decision' value='deny'>"
            "Annuler et revenir au service</button></form>"
        )
        body = (
            f"<p><strong>{name}, fournisseur local de développement.</strong> "
            "Aucune donnée réelle : choisissez une identité de démonstration.</p>"
            f"<ul>{''.join(rows)}</ul>{deny}"
        )
        # CSP form-action also governs the redirect that follows the form: allow the
        # relying party's origin, as the real providers do.
        parts = urlsplit(redirect_uri)
        return _html(200, f"{name} (local)", body, form_action=f"{parts.scheme}://{parts.netloc}")

    def token(self, request, profile):
        form = request["form"]
        client_id, secret = form.get("client_id", ""), form.get("client_secret")
        auth = request["environ"].get("HTTP_AUTHORIZATION", "")
        if auth.startswith("Basic "):
            with contextlib.suppress(ValueError):
                decoded = base64.b64decode(auth[6:]).decode()
                client_id, _, secret = decoded.partition(":")
                from urllib.parse import unquote_plus

                client_id, secret = unquote_plus(client_id), unquote_plus(secret)
        if secret is None or not self._client_ok(profile, client_id, secret):
            return _json(401, {"error": "invalid_client"})
        if form.get("grant_type") != "authorization_code":
            return _json(400, {"error": "unsupported_grant_type"})
        replay = self.mode == "replay_code"
        with self._lock:
            grant = self._grants.get(form.get("code", ""))
            if grant is None or grant.profile != profile or grant.client_id != client_id:
                return _json(400, {"error": "invalid_grant"})
            if (grant.used and not replay) or time.time() - grant.created > CODE_TTL * (
                10 if replay else 1
            ):
                return _json(400, {"error": "invalid_grant", "error_description": "code used"})
            if grant.redirect_uri != form.get("redirect_uri"):
                return _json(400, {"error": "invalid_grant", "error_description": "redirect_uri"})
            if (
                grant.code_challenge
                and not replay
                and not hmac.compare_digest(
                    grant.code_challenge, _b64url_sha256(form.get("code_verifier", ""))
                )
            ):
                return _json(400, {"error": "invalid_grant", "error_description": "PKCE"})
            grant.used = True
            access_token = secrets.token_urlsafe(32)
            self._tokens[access_token] = (grant, time.time() + TOKEN_TTL)
        id_token = self._sign(profile, self._id_token_claims(grant))
        return _json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": TOKEN_TTL,
                "id_token": id_token,
                "scope": "openid",
            },
        )

    def _id_token_claims(self, grant: Grant) -> dict:
        identity = ids.identity(grant.identity_key)
        now = int(time.time())
        claims = {
            "iss": self.issuer(grant.profile),
            "sub": identity.subject(grant.client_id),
            "aud": grant.client_id,
            "exp": now + TOKEN_TTL,
            "iat": now,
            "auth_time": now,
            "nonce": grant.nonce,
            "acr": grant.acr,
            "amr": ["pop", "mfa"] if grant.acr == "eidas2" else ["pwd"],
        }
        if grant.profile == "psc":
            claims["SubjectNameID"] = identity.claims["SubjectNameID"]
        if self.mode == "wrong_nonce":
            claims["nonce"] = secrets.token_hex(32)
        elif self.mode == "wrong_audience":
            claims["aud"] = "another-client"
        elif self.mode == "wrong_issuer":
            claims["iss"] = self.base_url + "/another-issuer"
        elif self.mode == "expired":
            claims["iat"] = now - 7200
            claims["exp"] = now - 3600
        return claims

    def userinfo(self, request, profile):
        auth = request["environ"].get("HTTP_AUTHORIZATION", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        with self._lock:
            entry = self._tokens.get(token)
        if entry is None or entry[1] < time.time() or entry[0].profile != profile:
            return 401, [("WWW-Authenticate", 'Bearer error="invalid_token"')], b""
        grant = entry[0]
        identity = ids.identity(grant.identity_key)
        claims = {
            "sub": identity.subject(grant.client_id),
            "given_name": identity.given_name,
            "family_name": identity.family_name,
            **identity.claims,
        }
        if self.mode == "userinfo_wrong_subject":
            claims["sub"] = "someone-else"
        if profile == "psc":
            return _json(200, claims)
        now = int(time.time())
        claims.update(
            {"iss": self.issuer(profile), "aud": grant.client_id, "iat": now, "exp": now + 60}
        )
        signed = self._sign_userinfo(profile, claims)
        headers = [("Content-Type", "application/jwt"), ("Cache-Control", "no-store")]
        return 200, headers, signed.encode()

    def _sign_userinfo(self, profile, claims):
        if self.mode == "userinfo_bad_signature":
            saved, self.mode = self.mode, "bad_signature"
            try:
                return self._sign(profile, claims)
            finally:
                self.mode = saved
        return self._sign(profile, claims)

    def end_session(self, request, profile):
        params = request["query"]
        target = params.get("post_logout_redirect_uri", "")
        claims = self._verify_own(profile, params.get("id_token_hint", ""))
        if claims is None:
            return _html(400, "Erreur", "<p>id_token_hint invalide ou inconnu.</p>")
        if not _is_loopback_uri(target):
            return _html(400, "Erreur", "<p>post_logout_redirect_uri refusée.</p>")
        state = params.get("state", "")
        if self.mode == "logout_wrong_state":
            state = secrets.token_urlsafe(32)
        return 302, [("Location", f"{target}?{urlencode({'state': state})}")], b""


def _status(code: int) -> str:
    return {
        200: "200 OK",
        302: "302 Found",
        400: "400 Bad Request",
        401: "401 Unauthorized",
        404: "404 Not Found",
    }[code]


def _json(code: int, payload: dict):
    body = json.dumps(payload).encode()
    return (
        code,
        [("Content-Type", "application/json"), ("Cache-Control", "no-store")],
        body,
    )


def _html(code: int, title: str, content: str, *, form_action: str = ""):
    page = (
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"{content}</body></html>"
    )
    return (
        code,
        [
            ("Content-Type", "text/html; charset=utf-8"),
            (
                "Content-Security-Policy",
                f"default-src 'none'; form-action 'self' {form_action}".strip(),
            ),
        ],
        page.encode(),
    )


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class _LoggingHandler(WSGIRequestHandler):
    pass


def make(host: str, port: int, *, control: bool = False, quiet: bool = True, **kwargs):
    """Bind a server on (host, port); port 0 picks a free one. Returns (server, provider)."""
    ip = ipaddress.ip_address(host if host != "localhost" else "127.0.0.1")
    if not ip.is_loopback:
        raise ValueError("the local provider listens on loopback only")
    server = make_server(
        host,
        port,
        lambda e, s: provider(e, s),
        server_class=_Server,
        handler_class=_QuietHandler if quiet else _LoggingHandler,
    )
    bound_port = server.server_address[1]
    provider = LocalProvider(f"http://{host}:{bound_port}", control=control, **kwargs)
    return server, provider


def serve_in_thread(host: str = "127.0.0.1", port: int = 0, **kwargs):
    """For tests: start on a free port in a daemon thread. Returns (server, provider);
    call `server.shutdown()` to stop."""
    server, provider = make(host, port, **kwargs)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="local-idp")
    thread.start()
    return server, provider
