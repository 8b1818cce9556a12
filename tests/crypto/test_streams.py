import io
import os

import pytest
from django.test import override_settings

from ordre.crypto import DecryptionError
from ordre.crypto.streams import (
    TAG_BYTES,
    EncryptingReader,
    FileTooLarge,
    StreamEncryptor,
    decrypt_bytes,
    decrypt_stream,
    encrypt_bytes,
    file_key_id,
)

CONTEXT = "documents.document:11111111-1111-1111-1111-111111111111"


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 1000, 4096])
def test_round_trip_at_chunk_boundaries(size):
    data = os.urandom(size)
    sealed = encrypt_bytes(data, context=CONTEXT, chunk_size=100)
    assert decrypt_bytes(sealed, context=CONTEXT) == data


def test_ciphertext_contains_no_plaintext():
    data = b"Compte rendu d'hospitalisation de Mme Dupont " * 50
    sealed = encrypt_bytes(data, context=CONTEXT, chunk_size=256)
    assert b"Dupont" not in sealed and b"hospitalisation" not in sealed


def test_two_encryptions_differ():
    data = b"x" * 1000
    assert encrypt_bytes(data, context=CONTEXT) != encrypt_bytes(data, context=CONTEXT)


def test_truncation_at_a_chunk_boundary_is_detected():
    data = os.urandom(1000)
    sealed = encrypt_bytes(data, context=CONTEXT, chunk_size=100)
    header_len = len(sealed) - 10 * (100 + TAG_BYTES) - TAG_BYTES  # 10 full chunks + empty final
    for keep_chunks in (1, 5, 10):
        truncated = sealed[: header_len + keep_chunks * (100 + TAG_BYTES)]
        with pytest.raises(DecryptionError):
            decrypt_bytes(truncated, context=CONTEXT)


def test_truncation_inside_a_chunk_and_appended_data_are_detected():
    sealed = encrypt_bytes(os.urandom(950), context=CONTEXT, chunk_size=100)
    for damaged in (sealed[:-1], sealed[:-40], sealed + b"\x00" * 116, sealed[:30]):
        with pytest.raises(DecryptionError):
            decrypt_bytes(damaged, context=CONTEXT)


def test_tampered_byte_anywhere_is_detected():
    sealed = bytearray(encrypt_bytes(os.urandom(500), context=CONTEXT, chunk_size=100))
    for position in (5, 12, len(sealed) // 2, len(sealed) - 1):
        copy = bytearray(sealed)
        copy[position] ^= 0x80
        with pytest.raises(DecryptionError):
            decrypt_bytes(bytes(copy), context=CONTEXT)


def test_file_moved_to_another_place_fails():
    sealed = encrypt_bytes(b"piece", context=CONTEXT)
    with pytest.raises(DecryptionError):
        decrypt_bytes(sealed, context="documents.document:22222222-2222-2222-2222-222222222222")


def test_old_keys_still_decrypt_after_rotation(settings):
    from tests.crypto.conftest import new_key

    sealed = encrypt_bytes(b"ancien", context=CONTEXT)
    with override_settings(ORDRE_CRYPTO_KEYS=f"k9:{new_key()},{settings.ORDRE_CRYPTO_KEYS}"):
        assert decrypt_bytes(sealed, context=CONTEXT) == b"ancien"
        assert file_key_id(io.BytesIO(encrypt_bytes(b"new", context=CONTEXT))) == "k9"


def test_max_size_stops_the_stream():
    encryptor = StreamEncryptor(io.BytesIO(b"a" * 1001), context=CONTEXT, max_size=1000)
    with pytest.raises(FileTooLarge):
        b"".join(encryptor)


def test_reader_interface_and_short_reads():
    class Trickle(io.RawIOBase):
        """A source returning at most 7 bytes per read."""

        def __init__(self, data):
            self.data = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self.data.read(min(7, len(buffer)))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    data = os.urandom(3000)
    reader = EncryptingReader(StreamEncryptor(Trickle(data), context=CONTEXT, chunk_size=512))
    sealed = b""
    while part := reader.read(333):
        sealed += part
    assert b"".join(decrypt_stream(Trickle(sealed), context=CONTEXT)) == data
    assert reader.encryptor.plaintext_size == 3000


def test_memory_stays_flat_for_a_large_stream():
    """100 MB through encryption and decryption with a peak far below the file size."""
    import tracemalloc

    class Zeros(io.RawIOBase):
        def __init__(self, size):
            self.left = size

        def readable(self):
            return True

        def readinto(self, buffer):
            n = min(len(buffer), self.left)
            buffer[:n] = bytes(n)
            self.left -= n
            return n

    size = 100 * 1024 * 1024
    tracemalloc.start()
    try:
        reader = EncryptingReader(StreamEncryptor(Zeros(size), context=CONTEXT))
        total = 0
        for chunk in decrypt_stream(reader, context=CONTEXT):
            total += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == size
    assert peak < 2 * 1024 * 1024, peak
