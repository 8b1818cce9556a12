"""Development secrets, generated once into `.data/secrets.env` and never committed.

Production never reaches this module: settings refuse to start when a secret is
missing outside the `dev` and `test` environments.
"""

import base64
import os
import secrets
from pathlib import Path

# Every secret the platform reads, with the generator of its development value.
DEV_SECRET_GENERATORS = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    # Keyring for AES-256-GCM: "<key id>:<base64 32 bytes>", comma separated, first is active.
    "ORDRE_CRYPTO_KEYS": lambda: "k1:" + base64.b64encode(os.urandom(32)).decode(),
    "ORDRE_BLIND_INDEX_KEY": lambda: base64.b64encode(os.urandom(32)).decode(),
}


def ensure_dev_secrets(path: Path) -> dict[str, str]:
    """Return the development secrets stored at `path`, generating missing ones."""
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, _, value = line.partition("=")
                values[key.strip()] = value.strip()
    missing = [k for k in DEV_SECRET_GENERATORS if k not in values]
    if missing:
        for key in missing:
            values[key] = DEV_SECRET_GENERATORS[key]()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(
            "# Development secrets generated locally. Never commit, never use in production.\n"
            + "".join(f"{k}={v}\n" for k, v in values.items())
        )
        tmp.chmod(0o600)
        tmp.replace(path)
    return values
