"""Provider settings of the relying party, read from the environment.

Pure Python apart from `ImproperlyConfigured`: `ordre/settings.py` calls
`providers_from_env()` and stores plain dicts in `settings.OIDC_PROVIDERS`; the app
reads them back at call time as `ProviderConfig` objects (`get_provider`), so a test
can override them with pytest-django's `settings` fixture.

Every variable is `OIDC_<KEY>_<NAME>` where `<KEY>` is a provider key listed in
`OIDC_PROVIDERS` (default `fc,psc`). See the app README for the list.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from ordre.oidc.provider.defaults import DEV_CLIENTS, PROFILE_ALGORITHMS, PROFILE_PATHS

FRANCECONNECT = "franceconnect"
PROSANTECONNECT = "prosanteconnect"
STANDARD = "standard"
PROFILES = (FRANCECONNECT, PROSANTECONNECT, STANDARD)

# How a first login with an unknown (issuer, sub) finds or creates its user.
LINK_BY_RPPS = "rpps"  # the user whose RPPS is SubjectNameID minus its leading "8"
LINK_CREATE_APPLICANT = "create_applicant"  # a new applicant account from identity traits
LINK_EXISTING_ONLY = "existing"  # only identities linked beforehand from the account page
LINKINGS = (LINK_BY_RPPS, LINK_CREATE_APPLICANT, LINK_EXISTING_ONLY)

FC_SCOPES = (
    "openid given_name family_name birthdate birthplace birthcountry gender email "
    "preferred_username"
)

_PROFILE_DEFAULTS = {
    FRANCECONNECT: {
        "label": "FranceConnect",
        "scopes": FC_SCOPES,
        "acr_values": "eidas1",
        "accepted_acr": "eidas1 eidas2 eidas3",
        "strong_acr": "",
        "id_token_algs": "ES256",
        "userinfo_signed": True,
        "pkce": False,
        "token_auth_method": "client_secret_post",
        "linking": LINK_CREATE_APPLICANT,
    },
    PROSANTECONNECT: {
        "label": "Pro Santé Connect",
        "scopes": "openid scope_all",
        "acr_values": "eidas1",
        "accepted_acr": "eidas1 eidas2",
        "strong_acr": "eidas2",
        "id_token_algs": "RS256",
        "userinfo_signed": False,
        "pkce": True,
        "token_auth_method": "client_secret_basic",
        "linking": LINK_BY_RPPS,
    },
    STANDARD: {
        "label": "",
        "scopes": "openid profile email",
        "acr_values": "",
        "accepted_acr": "",
        "strong_acr": "",
        "id_token_algs": "RS256",
        "userinfo_signed": False,
        "pkce": True,
        "token_auth_method": "client_secret_basic",
        "linking": LINK_EXISTING_ONLY,
    },
}
_KEY_PROFILES = {"fc": FRANCECONNECT, "psc": PROSANTECONNECT}
_LOCAL_PROFILE_KEYS = {FRANCECONNECT: "fc", PROSANTECONNECT: "psc"}


@dataclass(frozen=True)
class ProviderConfig:
    key: str
    label: str
    profile: str
    enabled: bool
    issuer: str
    client_id: str
    client_secret: str
    discovery_url: str = ""
    authorize_url: str = ""
    token_url: str = ""
    userinfo_url: str = ""
    jwks_url: str = ""
    end_session_url: str = ""
    scopes: str = "openid"
    acr_values: str = ""
    accepted_acr: tuple[str, ...] = ()
    strong_acr: tuple[str, ...] = ()
    id_token_algs: tuple[str, ...] = ("RS256",)
    userinfo_signed: bool = False
    pkce: bool = True
    token_auth_method: str = "client_secret_basic"  # noqa: S105 - a method name
    linking: str = LINK_EXISTING_ONLY
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def _words(value: str) -> tuple[str, ...]:
    return tuple(value.replace(",", " ").split())


def providers_from_env(env, *, ordre_env: str) -> dict[str, dict]:
    """Build `settings.OIDC_PROVIDERS` from the environment (a django-environ `Env`).

    In development and tests the defaults point FranceConnect and Pro Santé Connect at
    the local provider (`OIDC_DEV_PROVIDER_URL`); in production nothing has a default,
    providers are disabled unless `OIDC_<KEY>_ENABLED=true`, and an enabled provider
    without issuer, client id or secret stops the start.
    """
    production = ordre_env == "prod"
    dev_url = env.str("OIDC_DEV_PROVIDER_URL", default="http://127.0.0.1:8090").rstrip("/")
    providers: dict[str, dict] = {}
    for key in env.list("OIDC_PROVIDERS", default=["fc", "psc"]):
        key = key.strip().lower()
        if not key.isidentifier():
            raise ImproperlyConfigured(f"OIDC_PROVIDERS: invalid provider key {key!r}")
        prefix = f"OIDC_{key.upper()}_"
        profile = env.str(prefix + "PROFILE", default=_KEY_PROFILES.get(key, STANDARD))
        if profile not in PROFILES:
            raise ImproperlyConfigured(f"{prefix}PROFILE must be one of {', '.join(PROFILES)}")
        defaults = dict(_PROFILE_DEFAULTS[profile])
        local = _LOCAL_PROFILE_KEYS.get(profile) if not production else None
        if local:
            paths = PROFILE_PATHS[local]
            defaults.update(
                {
                    "issuer": dev_url + paths["issuer"],
                    "authorize_url": dev_url + paths["authorize"],
                    "token_url": dev_url + paths["token"],
                    "userinfo_url": dev_url + paths["userinfo"],
                    "jwks_url": dev_url + paths["jwks"],
                    "end_session_url": dev_url + paths["end_session"],
                    "client_id": DEV_CLIENTS[local][0],
                    "client_secret": DEV_CLIENTS[local][1],
                    "id_token_algs": PROFILE_ALGORITHMS[local],
                }
            )

        def text(name: str, _prefix=prefix, _defaults=defaults) -> str:
            return env.str(_prefix + name.upper(), default=_defaults.get(name, "")).strip()

        def flag(name: str, default: bool, _prefix=prefix) -> bool:
            return env.bool(_prefix + name.upper(), default=default)

        config = ProviderConfig(
            key=key,
            label=text("label") or key,
            profile=profile,
            enabled=flag("enabled", bool(local)),
            issuer=text("issuer"),
            client_id=text("client_id"),
            client_secret=text("client_secret"),
            discovery_url=text("discovery_url"),
            authorize_url=text("authorize_url"),
            token_url=text("token_url"),
            userinfo_url=text("userinfo_url"),
            jwks_url=text("jwks_url"),
            end_session_url=text("end_session_url"),
            scopes=text("scopes"),
            acr_values=text("acr_values"),
            accepted_acr=_words(text("accepted_acr")),
            strong_acr=_words(text("strong_acr")),
            id_token_algs=_words(text("id_token_algs")),
            userinfo_signed=flag("userinfo_signed", defaults["userinfo_signed"]),
            pkce=flag("pkce", defaults["pkce"]),
            token_auth_method=text("token_auth_method"),
            linking=text("linking"),
        )
        if config.enabled:
            _check(config, prefix)
        providers[key] = config.as_dict()
    return providers


def _check(config: ProviderConfig, prefix: str) -> None:
    missing = [
        prefix + name.upper()
        for name in ("issuer", "client_id", "client_secret")
        if not getattr(config, name)
    ]
    if missing:
        raise ImproperlyConfigured("OIDC provider enabled without: " + ", ".join(missing))
    if config.linking not in LINKINGS:
        raise ImproperlyConfigured(f"{prefix}LINKING must be one of {', '.join(LINKINGS)}")
    if config.token_auth_method not in {"client_secret_post", "client_secret_basic"}:
        raise ImproperlyConfigured(
            f"{prefix}TOKEN_AUTH_METHOD must be client_secret_post or client_secret_basic"
        )
    if not config.id_token_algs or {"none", "HS256", "HS384", "HS512"} & set(config.id_token_algs):
        raise ImproperlyConfigured(f"{prefix}ID_TOKEN_ALGS must list asymmetric algorithms")


def form_action_origins(providers: dict[str, dict]) -> list[str]:
    """Origins a form of ours may lead to through a redirect (CSP `form-action`):
    the logout form redirects to the provider's end-session endpoint."""
    origins: list[str] = []
    for config in providers.values():
        if not config["enabled"]:
            continue
        for url in (config["issuer"], config["authorize_url"], config["end_session_url"]):
            parts = urlsplit(url)
            if parts.scheme and parts.netloc:
                origin = f"{parts.scheme}://{parts.netloc}"
                if origin not in origins:
                    origins.append(origin)
    return origins


def get_provider(key: str) -> ProviderConfig | None:
    """The provider configured under `key`, or None (reads settings at call time)."""
    from django.conf import settings

    data = getattr(settings, "OIDC_PROVIDERS", {}).get(key)
    if data is None:
        return None
    data = dict(data)
    for name in ("accepted_acr", "strong_acr", "id_token_algs"):
        data[name] = tuple(data.get(name) or ())
    return ProviderConfig(**data)


def enabled_providers() -> list[ProviderConfig]:
    from django.conf import settings

    providers = [get_provider(key) for key in getattr(settings, "OIDC_PROVIDERS", {})]
    return [p for p in providers if p is not None and p.enabled]
