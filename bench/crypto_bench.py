"""Encryption throughput of ordre.crypto next to bare `cryptography` AES-GCM, same run.

    .venv/bin/python bench/crypto_bench.py [--values 20000] [--file-mb 100]

Fields: encrypt/decrypt of short values through the model field (place binding,
header, keyring) against AESGCM.encrypt/decrypt of the same bytes with a fixed key.
Files: the streaming chunked format (64 KiB chunks, per-file HKDF key) against bare
AESGCM over the same chunks, plus the peak Python memory of a streamed file
(tracemalloc, measured in a separate pass).
"""

import argparse
import hashlib
import hmac
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

import django
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ORDRE_ENV", "dev")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordre.settings")

DEFAULT_CHUNK_SIZE = 64 * 1024  # as ordre.crypto.streams (imported after django.setup())
MB = 1024 * 1024


class PatternSource(io.RawIOBase):
    """`size` bytes of a repeated pattern, generated on demand (no big buffer)."""

    def __init__(self, size: int):
        self.left = size
        self.pattern = os.urandom(DEFAULT_CHUNK_SIZE)

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.left, len(self.pattern))
        buffer[:n] = self.pattern[:n]
        self.left -= n
        return n


def timed(fn, *args, repeat: int = 3):
    """Best of `repeat` runs (the machine may be busy)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def bench_fields(count: int) -> None:
    from ordre.crypto.blind import blind_index
    from ordre.crypto.keyring import get_keyring
    from ordre.documents.models import Document

    keyring = get_keyring()
    field = Document._meta.get_field("original_filename")
    instance = Document()
    values = [f"Compte rendu n°{i} — Mme Dupont-Lefèvre.pdf" for i in range(count)]
    raw_values = [v.encode() for v in values]
    aes = AESGCM(keyring.active_key)

    def raw_encrypt():
        out = []
        for v in raw_values:
            nonce = os.urandom(12)
            out.append(nonce + aes.encrypt(nonce, v, b"documents.document.original_filename:x"))
        return out

    def raw_decrypt(tokens):
        return [
            aes.decrypt(t[:12], t[12:], b"documents.document.original_filename:x") for t in tokens
        ]

    def field_encrypt():
        return [field.seal(instance, v) for v in values]

    def field_decrypt(tokens):
        return [field.open_sealed(instance, t) for t in tokens]

    _, raw_tokens = timed(raw_encrypt)
    t_raw_enc, _ = timed(raw_encrypt)
    t_raw_dec, _ = timed(raw_decrypt, raw_tokens)
    t_enc, sealed = timed(field_encrypt)
    t_dec, opened = timed(field_decrypt, sealed)
    assert opened == values

    blind_key = keyring.blind_index_key
    t_raw_hmac, _ = timed(
        lambda: [hmac.new(blind_key, v, hashlib.sha256).hexdigest() for v in raw_values]
    )
    t_blind, _ = timed(lambda: [blind_index(v, purpose="bench.name") for v in values])

    print(f"Fields ({count} values of ~{len(raw_values[0])} bytes)")
    rows = [
        ("encrypt", t_enc, t_raw_enc),
        ("decrypt", t_dec, t_raw_dec),
        ("blind index (HMAC-SHA256)", t_blind, t_raw_hmac),
    ]
    print(f"  {'operation':<28}{'ordre fields/s':>16}{'raw fields/s':>16}{'ratio':>8}")
    for name, ours, raw in rows:
        print(f"  {name:<28}{count / ours:>16,.0f}{count / raw:>16,.0f}{raw / ours:>8.2f}")


def bench_files(size_mb: int) -> None:
    from ordre.crypto.keyring import get_keyring
    from ordre.crypto.streams import EncryptingReader, StreamEncryptor, decrypt_stream

    size = size_mb * MB
    context = "documents.document:00000000-0000-0000-0000-000000000000"
    keyring = get_keyring()

    def ours_encrypt():
        reader = EncryptingReader(StreamEncryptor(PatternSource(size), context=context))
        total = 0
        while chunk := reader.read(DEFAULT_CHUNK_SIZE + 16):
            total += len(chunk)
        return total

    def ours_round_trip():
        reader = EncryptingReader(StreamEncryptor(PatternSource(size), context=context))
        return sum(len(c) for c in decrypt_stream(reader, context=context))

    aes = AESGCM(keyring.active_key)

    def raw_encrypt():  # same chunks from the same source, bare AESGCM, no format
        source, total, i = PatternSource(size), 0, 0
        while chunk := source.read(DEFAULT_CHUNK_SIZE):
            total += len(aes.encrypt(i.to_bytes(12, "big"), chunk, b"ctx"))
            i += 1
        return total

    def raw_round_trip():
        source, total, i = PatternSource(size), 0, 0
        while chunk := source.read(DEFAULT_CHUNK_SIZE):
            nonce = i.to_bytes(12, "big")
            total += len(aes.decrypt(nonce, aes.encrypt(nonce, chunk, b"ctx"), b"ctx"))
            i += 1
        return total

    t_enc, _ = timed(ours_encrypt)
    t_raw_enc, _ = timed(raw_encrypt)
    t_rt, total = timed(ours_round_trip)
    t_raw_rt, _ = timed(raw_round_trip)
    assert total == size

    tracemalloc.start()
    ours_round_trip()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"Files ({size_mb} MB streamed, {DEFAULT_CHUNK_SIZE // 1024} KiB chunks)")
    print(f"  {'operation':<28}{'ordre MB/s':>16}{'raw MB/s':>16}{'ratio':>8}")
    for name, ours, raw in (
        ("encrypt", t_enc, t_raw_enc),
        ("encrypt + decrypt", t_rt, t_raw_rt),
    ):
        print(f"  {name:<28}{size_mb / ours:>16,.0f}{size_mb / raw:>16,.0f}{raw / ours:>8.2f}")
    print(f"  peak Python memory while streaming {size_mb} MB: {peak / 1024:,.0f} KiB")


def main() -> None:
    django.setup()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=20_000)
    parser.add_argument("--file-mb", type=int, default=100)
    args = parser.parse_args()
    bench_fields(args.values)
    bench_files(args.file_mb)


if __name__ == "__main__":
    main()
