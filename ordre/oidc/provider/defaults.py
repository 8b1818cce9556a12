"""Constants shared by the local provider and the development settings of the relying party.

Pure Python (no Django import): `ordre/settings.py` reads it to point the relying
party at the local provider in development and tests. Nothing here is a secret of
any real system; production settings never fall back to these values.
"""

DEFAULT_PORT = 8090
DEFAULT_URL = f"http://127.0.0.1:{DEFAULT_PORT}"

# Endpoint paths of each profile, relative to the provider's base URL. FranceConnect v2
# serves everything under /api/v2; Pro Santé Connect has a Keycloak realm for the
# protocol endpoints and a separate, non-standard host for the authorize page.
PROFILE_PATHS = {
    "fc": {
        "issuer": "/fc/api/v2",
        "authorize": "/fc/api/v2/authorize",
        "token": "/fc/api/v2/token",
        "userinfo": "/fc/api/v2/userinfo",
        "jwks": "/fc/api/v2/jwks",
        "end_session": "/fc/api/v2/session/end",
    },
    "psc": {
        "issuer": "/psc/auth/realms/esante-wallet",
        "authorize": "/psc-wallet/auth",
        "token": "/psc/auth/realms/esante-wallet/protocol/openid-connect/token",
        "userinfo": "/psc/auth/realms/esante-wallet/protocol/openid-connect/userinfo",
        "jwks": "/psc/auth/realms/esante-wallet/protocol/openid-connect/certs",
        "end_session": "/psc/auth/realms/esante-wallet/protocol/openid-connect/logout",
    },
}

# Development client registrations (client_id, client_secret), loopback only.
DEV_CLIENTS = {
    "fc": ("ordre-dev-franceconnect", "dev-only-franceconnect-secret"),
    "psc": ("ordre-dev-prosanteconnect", "dev-only-prosanteconnect-secret"),
}

# Signing algorithm of each profile: FranceConnect v2 signs with ES256; the Pro Santé
# Connect realm signs with RS256.
PROFILE_ALGORITHMS = {"fc": "ES256", "psc": "RS256"}
