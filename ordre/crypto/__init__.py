"""Crypto kernel: keyring, AES-256-GCM values and files, blind indexes, model fields.

Public surface (see README.md): the fields below, `ordre.crypto.aead`,
`ordre.crypto.streams`, `ordre.crypto.blind.blind_index`, `rotate_keys`. Names are
loaded lazily: this package is imported while Django populates its app registry,
before model classes may be defined.
"""

import importlib

_EXPORTS = {
    "blind_index": "ordre.crypto.blind",
    "normalize_exact": "ordre.crypto.blind",
    "normalize_text": "ordre.crypto.blind",
    "CryptoError": "ordre.crypto.exceptions",
    "DecryptionError": "ordre.crypto.exceptions",
    "EncryptionContextError": "ordre.crypto.exceptions",
    "KeyringError": "ordre.crypto.exceptions",
    "UnknownKeyError": "ordre.crypto.exceptions",
    "BlindIndexField": "ordre.crypto.fields",
    "BlindIndexQuerySet": "ordre.crypto.fields",
    "EncryptedDateField": "ordre.crypto.fields",
    "EncryptedJSONField": "ordre.crypto.fields",
    "EncryptedRowMixin": "ordre.crypto.fields",
    "EncryptedTextField": "ordre.crypto.fields",
    "blind_lookup": "ordre.crypto.fields",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'ordre.crypto' has no attribute {name!r}")
