"""Errors of the crypto kernel. None of them carries plaintext or key material."""


class CryptoError(Exception):
    """Base class of every error raised by `ordre.crypto`."""


class KeyringError(CryptoError):
    """The keyring configuration is missing or malformed."""


class DecryptionError(CryptoError):
    """A value failed authentication: tampered, truncated, or moved to another place."""


class UnknownKeyError(DecryptionError):
    """A value names a key id that the keyring does not hold (retired key, or tampering)."""


class EncryptionContextError(CryptoError):
    """A value cannot be bound to its place (e.g. written through QuerySet.update())."""
