"""A small clamd client: the INSTREAM command over TCP (or a unix socket).

Protocol (clamd(8)): send `zINSTREAM\\0`, then chunks each prefixed by their length as
a 4-byte big-endian integer, then a zero length; clamd answers one NUL-terminated
line: `stream: OK`, `stream: <signature> FOUND`, or `<message> ERROR`.
"""

from __future__ import annotations

import contextlib
import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

MAX_CHUNK = 64 * 1024


class ClamdError(OSError):
    """clamd could not scan (unreachable, size limit, error answer): retry later."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


def _connect(url: str, timeout: float) -> socket.socket:
    parts = urlsplit(url)
    try:
        if parts.scheme == "tcp":
            return socket.create_connection((parts.hostname, parts.port or 3310), timeout=timeout)
        if parts.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(parts.path)
            return sock
    except OSError as exc:
        raise ClamdError(f"clamd unreachable at {url}: {exc}") from exc
    raise ClamdError(f"CLAMD_URL must be tcp://host:port or unix:///path, not {url!r}")


def _read_reply(sock: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\0"):
        part = sock.recv(4096)
        if not part:
            break
        data += part
        if len(data) > 64 * 1024:
            raise ClamdError("clamd answer too long")
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def parse_reply(reply: str) -> ScanResult:
    if reply.endswith("ERROR") or not reply:
        raise ClamdError(f"clamd error: {reply or 'no answer'}")
    _, _, verdict = reply.partition(": ")
    verdict = verdict or reply
    if verdict == "OK":
        return ScanResult(clean=True)
    if verdict.endswith(" FOUND"):
        return ScanResult(clean=False, signature=verdict[: -len(" FOUND")])
    raise ClamdError(f"unexpected clamd answer: {reply}")


class InstreamScan:
    """`with client.instream() as scan: scan.send(chunk) ...; result = scan.finish()`"""

    def __init__(self, sock: socket.socket):
        self.sock = sock

    def send(self, data: bytes) -> None:
        try:
            for start in range(0, len(data), MAX_CHUNK):
                piece = data[start : start + MAX_CHUNK]
                self.sock.sendall(struct.pack("!L", len(piece)) + piece)
        except OSError as exc:
            # clamd closes the connection when the stream exceeds its limit; say why.
            reply = ""
            with contextlib.suppress(OSError):
                reply = _read_reply(self.sock)
            raise ClamdError(f"clamd stopped the stream: {reply or exc}") from exc

    def finish(self) -> ScanResult:
        try:
            self.sock.sendall(struct.pack("!L", 0))
            return parse_reply(_read_reply(self.sock))
        except OSError as exc:
            if isinstance(exc, ClamdError):
                raise
            raise ClamdError(f"clamd failed: {exc}") from exc

    def __enter__(self) -> InstreamScan:
        return self

    def __exit__(self, *exc_info) -> None:
        self.sock.close()


class ClamdClient:
    def __init__(self, url: str, timeout: float = 30.0):
        self.url = url
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> ClamdClient | None:
        url = getattr(settings, "CLAMD_URL", "")
        return cls(url, getattr(settings, "CLAMD_TIMEOUT", 30.0)) if url else None

    def instream(self) -> InstreamScan:
        sock = _connect(self.url, self.timeout)
        try:
            sock.sendall(b"zINSTREAM\0")
        except OSError as exc:
            sock.close()
            raise ClamdError(f"clamd failed: {exc}") from exc
        return InstreamScan(sock)

    def scan_bytes(self, data: bytes) -> ScanResult:
        with self.instream() as scan:
            scan.send(data)
            return scan.finish()

    def ping(self) -> bool:
        with _connect(self.url, self.timeout) as sock:
            sock.sendall(b"zPING\0")
            return _read_reply(sock) == "PONG"
