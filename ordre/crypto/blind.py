"""Blind indexes: HMAC-SHA256 of a normalised value, for exact-match lookups on
encrypted values without decrypting them. Their key (`ORDRE_BLIND_INDEX_KEY`) is
distinct from the encryption keys; `purpose` separates the indexes of different
columns, so equal values in two columns do not share an index value."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from ordre.crypto.keyring import Keyring, get_keyring

_SPACES = re.compile(r"\s+")


def normalize_text(value: str) -> str:
    """Casefold, strip accents, treat hyphens and apostrophes as spaces, collapse spaces.

    "  Le Guërn-Dupont " and "le guern dupont" normalise to the same string.
    """
    decomposed = unicodedata.normalize("NFKD", str(value))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = stripped.casefold().replace("-", " ").replace("'", " ").replace("’", " ")
    return _SPACES.sub(" ", folded).strip()


def normalize_exact(value: str) -> str:
    """For identifiers (NIR, e-mail): only trim and casefold."""
    return str(value).strip().casefold()


def blind_index(
    value, *, purpose: str, normalizer=normalize_text, keyring: Keyring | None = None
) -> str:
    """The hex HMAC-SHA256 of `normalizer(value)` for `purpose`; "" for None."""
    if value is None:
        return ""
    if not purpose:
        raise ValueError("a blind index needs a purpose")
    keyring = keyring or get_keyring()
    message = purpose.encode("utf-8") + b"\x00" + normalizer(value).encode("utf-8")
    return hmac.new(keyring.blind_index_key, message, hashlib.sha256).hexdigest()
