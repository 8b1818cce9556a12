"""AES-256-GCM for single values, bound to their place by associated data.

Stored format (bytes, kept in a `bytea` column):

    version (1 byte = 0x01) | key id length (1 byte) | key id (ASCII)
    | nonce (12 random bytes) | ciphertext | tag (16 bytes)

The associated data is the header (version, key id) followed by the *context*, a
string naming the place of the value: "app_label.model.field:row id". A ciphertext
copied to another row or column, or with a tampered header, fails to decrypt.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag

from ordre.crypto.exceptions import DecryptionError
from ordre.crypto.keyring import Keyring, get_keyring

VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16


def header_for(key_id: str) -> bytes:
    """The bytes every value encrypted under `key_id` starts with (used by rotation)."""
    kid = key_id.encode("ascii")
    return bytes([VERSION, len(kid)]) + kid


def _aad(header: bytes, context: str) -> bytes:
    return header + b"\x00" + context.encode("utf-8")


def parse_header(token: bytes) -> tuple[str, int]:
    """Return (key id, offset of the nonce) of a stored value."""
    token = bytes(token)
    if len(token) < 2 or token[0] != VERSION:
        raise DecryptionError("unknown format version of an encrypted value")
    kid_len = token[1]
    end = 2 + kid_len
    if kid_len == 0 or len(token) < end + NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("encrypted value is truncated")
    try:
        return token[2:end].decode("ascii"), end
    except UnicodeDecodeError:
        raise DecryptionError("malformed key id in an encrypted value") from None


def key_id_of(token: bytes) -> str:
    return parse_header(token)[0]


def encrypt(plaintext: bytes, *, context: str, keyring: Keyring | None = None) -> bytes:
    keyring = keyring or get_keyring()
    header = header_for(keyring.active_id)
    nonce = os.urandom(NONCE_BYTES)
    sealed = keyring.cipher(keyring.active_id).encrypt(nonce, plaintext, _aad(header, context))
    return header + nonce + sealed


def decrypt(token: bytes, *, context: str, keyring: Keyring | None = None) -> bytes:
    keyring = keyring or get_keyring()
    token = bytes(token)
    key_id, offset = parse_header(token)
    cipher = keyring.cipher(key_id)
    nonce = token[offset : offset + NONCE_BYTES]
    try:
        return cipher.decrypt(nonce, token[offset + NONCE_BYTES :], _aad(token[:offset], context))
    except InvalidTag:
        raise DecryptionError(
            f"encrypted value failed authentication for {context.rpartition(':')[0]!r} "
            "(tampered, or copied from another row or column)"
        ) from None
