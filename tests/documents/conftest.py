import io
import socket
import struct
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from ordre.accounts import session_state

MARKER = b"Compte rendu Dupont MARQUEUR-EN-CLAIR"


def make_pdf(*, pages: int = 2, encrypt: bool = False) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": MARKER.decode()})
    if encrypt:
        writer.encrypt("mot-de-passe")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(**kwargs):
        n = next(counter)
        kwargs.setdefault("username", f"doc-user-{n}-{time.monotonic_ns()}")
        kwargs.setdefault("email", f"{kwargs['username']}@example.org")
        return get_user_model().objects.create_user(password=None, **kwargs)  # no slow hashing

    return make


@pytest.fixture
def owner(make_user):
    return make_user()


@pytest.fixture
def verified_client(client):
    def login(user):
        client.force_login(user)
        session = client.session
        session[session_state.VERIFIED_KEY] = {"user": user.pk, "method": "test", "at": 0}
        session.save()
        return client

    return login


@pytest.fixture
def cleanup_storage():
    """Delete the stored files of the documents a test created."""
    names: list[str] = []
    yield names
    for name in names:
        default_storage.delete(name)


class FakeClamd:
    """A loopback server speaking clamd's INSTREAM protocol; finds "EICAR" payloads."""

    def __init__(self, answer_error: bool = False):
        self.answer_error = answer_error
        self.scanned: list[bytes] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"tcp://127.0.0.1:{self.server.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, conn, size):
        data = b""
        while len(data) < size:
            part = conn.recv(size - len(data))
            if not part:
                raise ConnectionError("client went away")
            data += part
        return data

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += self._read(conn, 1)
                assert command == b"zINSTREAM\0"
                payload = b""
                while True:
                    (size,) = struct.unpack("!L", self._read(conn, 4))
                    if size == 0:
                        break
                    payload += self._read(conn, size)
                self.scanned.append(payload)
                if self.answer_error:
                    conn.sendall(b"INSTREAM size limit exceeded. ERROR\0")
                elif b"EICAR" in payload:
                    conn.sendall(b"stream: Eicar-Test-Signature FOUND\0")
                else:
                    conn.sendall(b"stream: OK\0")

    def close(self):
        self.server.close()


@pytest.fixture
def fake_clamd():
    servers = []

    def start(**kwargs):
        server = FakeClamd(**kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()
