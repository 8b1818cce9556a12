"""Format, generation and hashing of API keys (pure functions, no database)."""

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

KEY_PREFIX = "ordre"
_KEY_PATTERN = re.compile(r"^ordre_(?P<prefix>[0-9a-f]{8,16})_(?P<secret>[A-Za-z0-9_-]{32,128})$")


@dataclass(frozen=True)
class GeneratedKey:
    prefix: str
    token: str  # the whole `ordre_<prefix>_<secret>` string, given to the client once
    hashed: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def generate_key() -> GeneratedKey:
    prefix = secrets.token_hex(4)
    token = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return GeneratedKey(prefix=prefix, token=token, hashed=hash_token(token))


def parse_prefix(token: str) -> str | None:
    """The prefix of a well-formed key, or None."""
    match = _KEY_PATTERN.match(token)
    return match.group("prefix") if match else None


def token_matches(token: str, hashed: str) -> bool:
    """Constant-time comparison of the key's hash with the stored one."""
    return hmac.compare_digest(hash_token(token), hashed)


def demo_key(name: str) -> GeneratedKey:
    """A fixed key derived from its name: for the demonstration data only (dev, test)."""
    digest = hashlib.sha256(f"ordre-demo-api-key:{name}".encode()).digest()
    prefix = digest[:4].hex()
    secret = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    token = f"{KEY_PREFIX}_{prefix}_{secret}"
    return GeneratedKey(prefix=prefix, token=token, hashed=hash_token(token))
