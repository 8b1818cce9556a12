"""The keyring: key id -> 256-bit key, read from settings, the first key is active.

`ORDRE_CRYPTO_KEYS = "k2:<base64 32 bytes>,k1:<base64 32 bytes>"` (first = active for
new writes, the others still decrypt). `ORDRE_BLIND_INDEX_KEY = "<base64 32 bytes>"`.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from ordre.crypto.exceptions import KeyringError, UnknownKeyError

KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
KEY_BYTES = 32


@dataclass(frozen=True)
class Keyring:
    active_id: str
    keys: dict[str, bytes] = field(repr=False)
    blind_index_key: bytes = field(repr=False)
    ciphers: dict[str, AESGCM] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # One AESGCM object per key: building it costs as much as encrypting a value.
        object.__setattr__(self, "ciphers", {kid: AESGCM(k) for kid, k in self.keys.items()})

    @property
    def active_key(self) -> bytes:
        return self.keys[self.active_id]

    def cipher(self, key_id: str) -> AESGCM:
        try:
            return self.ciphers[key_id]
        except KeyError:
            raise UnknownKeyError(f"key id {key_id!r} is not in the keyring") from None

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise UnknownKeyError(f"key id {key_id!r} is not in the keyring") from None


def _decode_key(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyringError(f"{what} is not valid base64") from None
    if len(raw) != KEY_BYTES:
        raise KeyringError(f"{what} must be {KEY_BYTES} bytes, not {len(raw)}")
    return raw


@functools.lru_cache(maxsize=8)
def parse_keyring(keys_setting: str, blind_setting: str) -> Keyring:
    entries = [e.strip() for e in (keys_setting or "").split(",") if e.strip()]
    if not entries:
        raise KeyringError("ORDRE_CRYPTO_KEYS is empty")
    keys: dict[str, bytes] = {}
    for entry in entries:
        key_id, sep, encoded = entry.partition(":")
        key_id = key_id.strip()
        if not sep or not KEY_ID_RE.match(key_id):
            raise KeyringError("ORDRE_CRYPTO_KEYS entries read '<key id>:<base64 key>'")
        if key_id in keys:
            raise KeyringError(f"key id {key_id!r} appears twice in ORDRE_CRYPTO_KEYS")
        keys[key_id] = _decode_key(encoded, f"key {key_id!r}")
    blind = _decode_key(blind_setting or "", "ORDRE_BLIND_INDEX_KEY")
    if blind in keys.values():
        raise KeyringError("ORDRE_BLIND_INDEX_KEY must differ from every encryption key")
    active = entries[0].partition(":")[0].strip()
    return Keyring(active_id=active, keys=keys, blind_index_key=blind)


def get_keyring() -> Keyring:
    """The keyring of the current settings (cached per settings value)."""
    return parse_keyring(
        getattr(settings, "ORDRE_CRYPTO_KEYS", ""), getattr(settings, "ORDRE_BLIND_INDEX_KEY", "")
    )
