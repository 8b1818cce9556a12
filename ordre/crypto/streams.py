"""Streaming, chunked AES-256-GCM for files: memory stays flat whatever the size.

Layout of an encrypted file:

    header:  b"ORDF" | version (1) | key id length (1) | key id | salt (16)
             | nonce prefix (8) | chunk size (4, big-endian)
    chunks:  AES-GCM(chunk i) = ciphertext | tag (16), each plaintext chunk is
             `chunk size` bytes except the last one (possibly empty).

* A per-file key is derived from the keyring key by HKDF-SHA256 with the random salt,
  so nonces never repeat across files under one master key.
* Nonce of chunk i = nonce prefix (8) | i (4, big-endian): chunks cannot be reordered.
* Associated data of every chunk = header | 0x00 | context | 0x00 | final flag (0/1):
  the header and the file's place (the context, e.g. "documents.document:<uuid>") are
  authenticated; the last chunk is the only one encrypted with flag 1, so a truncated
  file (its new last chunk has flag 0) or a file with chunks appended fails.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ordre.crypto.exceptions import DecryptionError
from ordre.crypto.keyring import Keyring, get_keyring

MAGIC = b"ORDF"
VERSION = 1
SALT_BYTES = 16
PREFIX_BYTES = 8
TAG_BYTES = 16
DEFAULT_CHUNK_SIZE = 64 * 1024
MAX_CHUNK_SIZE = 16 * 1024 * 1024
MAX_CHUNKS = 2**32


def _file_key(master: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"ordre-file-v1").derive(
        master
    )


def _read_exactly(source: BinaryIO, size: int) -> bytes:
    """Read `size` bytes unless the stream ends first (tolerates short reads)."""
    parts, missing = [], size
    while missing:
        part = source.read(missing)
        if not part:
            break
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)


def _aad(header: bytes, context: str, final: bool) -> bytes:
    return header + b"\x00" + context.encode("utf-8") + (b"\x00\x01" if final else b"\x00\x00")


class StreamEncryptor:
    """Iterate to get the encrypted bytes of `source`: header first, then chunks.

    After iteration, `plaintext_size` holds the number of bytes read. With `max_size`,
    iteration raises `FileTooLarge` as soon as the source exceeds it.
    """

    def __init__(
        self,
        source: BinaryIO,
        *,
        context: str,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        max_size: int | None = None,
        keyring: Keyring | None = None,
    ):
        if not 0 < chunk_size <= MAX_CHUNK_SIZE:
            raise ValueError("chunk size out of range")
        self.source = source
        self.context = context
        self.chunk_size = chunk_size
        self.max_size = max_size
        self.keyring = keyring or get_keyring()
        self.key_id = self.keyring.active_id
        self.plaintext_size = 0

    def __iter__(self) -> Iterator[bytes]:
        kid = self.key_id.encode("ascii")
        salt = os.urandom(SALT_BYTES)
        prefix = os.urandom(PREFIX_BYTES)
        header = (
            MAGIC
            + bytes([VERSION, len(kid)])
            + kid
            + salt
            + prefix
            + struct.pack(">I", self.chunk_size)
        )
        aead = AESGCM(_file_key(self.keyring.active_key, salt))
        yield header
        current = _read_exactly(self.source, self.chunk_size)
        counter = 0
        while True:
            self._count(len(current))
            following = (
                _read_exactly(self.source, self.chunk_size)
                if len(current) == self.chunk_size
                else b""
            )
            final = not following
            if counter >= MAX_CHUNKS:
                raise ValueError("file too large for the chunk counter")
            nonce = prefix + struct.pack(">I", counter)
            yield aead.encrypt(nonce, current, _aad(header, self.context, final))
            if final:
                return
            current = following
            counter += 1

    def _count(self, size: int) -> None:
        self.plaintext_size += size
        if self.max_size is not None and self.plaintext_size > self.max_size:
            raise FileTooLarge(self.max_size)


class FileTooLarge(ValueError):
    def __init__(self, max_size: int):
        super().__init__(f"file larger than {max_size} bytes")
        self.max_size = max_size


class EncryptingReader(io.RawIOBase):
    """A read-only file object over a `StreamEncryptor`, for storage APIs that read."""

    def __init__(self, encryptor: StreamEncryptor):
        super().__init__()
        self.encryptor = encryptor
        self._chunks = iter(encryptor)
        self._buffer = b""
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        return self._position

    def _fill(self) -> bool:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return False
        return True

    def read(self, size: int | None = -1) -> bytes:
        """Whole encrypted chunks when possible (no copy), `size` bytes at most."""
        if size is None or size < 0:
            return self.readall()
        if size == 0 or not self._fill():
            return b""
        if size >= len(self._buffer):
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        self._position += len(out)
        return out

    def readall(self) -> bytes:
        parts = []
        while part := self.read(MAX_CHUNK_SIZE):
            parts.append(part)
        return b"".join(parts)

    def readinto(self, target) -> int:
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)


def read_header(source: BinaryIO) -> tuple[bytes, str, bytes, bytes, int]:
    """(header bytes, key id, salt, nonce prefix, chunk size) of an encrypted file."""
    fixed = _read_exactly(source, len(MAGIC) + 2)
    if len(fixed) < len(MAGIC) + 2 or fixed[: len(MAGIC)] != MAGIC:
        raise DecryptionError("not an encrypted Ordre file")
    if fixed[len(MAGIC)] != VERSION:
        raise DecryptionError("unknown version of an encrypted file")
    kid_len = fixed[len(MAGIC) + 1]
    rest = _read_exactly(source, kid_len + SALT_BYTES + PREFIX_BYTES + 4)
    if kid_len == 0 or len(rest) < kid_len + SALT_BYTES + PREFIX_BYTES + 4:
        raise DecryptionError("encrypted file header is truncated")
    try:
        key_id = rest[:kid_len].decode("ascii")
    except UnicodeDecodeError:
        raise DecryptionError("malformed key id in an encrypted file") from None
    salt = rest[kid_len : kid_len + SALT_BYTES]
    prefix = rest[kid_len + SALT_BYTES : kid_len + SALT_BYTES + PREFIX_BYTES]
    (chunk_size,) = struct.unpack(">I", rest[-4:])
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise DecryptionError("encrypted file header has an invalid chunk size")
    return fixed + rest, key_id, salt, prefix, chunk_size


def decrypt_stream(
    source: BinaryIO, *, context: str, keyring: Keyring | None = None
) -> Iterator[bytes]:
    """Yield the plaintext chunks of an encrypted file, authenticating each one.

    Raises `DecryptionError` on tampering, truncation, appended data, or a wrong context.
    A consumer must not trust bytes already yielded until the iteration ends cleanly.
    """
    keyring = keyring or get_keyring()
    header, key_id, salt, prefix, chunk_size = read_header(source)
    aead = AESGCM(_file_key(keyring.key(key_id), salt))
    block = chunk_size + TAG_BYTES
    current = _read_exactly(source, block)
    counter = 0
    while True:
        if len(current) < TAG_BYTES:
            raise DecryptionError("encrypted file is truncated")
        following = _read_exactly(source, block) if len(current) == block else b""
        final = not following
        nonce = prefix + struct.pack(">I", counter)
        try:
            plaintext = aead.decrypt(nonce, current, _aad(header, context, final))
        except InvalidTag:
            raise DecryptionError(
                "encrypted file failed authentication (tampered, truncated, or moved)"
            ) from None
        yield plaintext
        if final:
            return
        current = following
        counter += 1


def file_key_id(source: BinaryIO) -> str:
    return read_header(source)[1]


def encrypt_bytes(data: bytes, *, context: str, **kwargs) -> bytes:
    return b"".join(StreamEncryptor(io.BytesIO(data), context=context, **kwargs))


def decrypt_bytes(data: bytes, *, context: str, **kwargs) -> bytes:
    return b"".join(decrypt_stream(io.BytesIO(data), context=context, **kwargs))
