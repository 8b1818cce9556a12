"""Real HTTP receivers on loopback standing in for the council systems."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tableau.sync.signing import verify_signature


class CouncilReceiver:
    """Accepts signed batches; can fail its first `fail_first` requests with 503.

    Like a real receiver it drops a batch whose idempotency key it has already applied.
    """

    def __init__(self, secret: str, *, fail_first: int = 0):
        self.secret = secret
        self.fail_first = fail_first
        self.requests: list[dict] = []
        self.applied_keys: list[str] = []
        self.applied_positions: list[int] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.handle(body, dict(self.headers))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/ordre/changes"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handle(self, body: bytes, headers: dict) -> int:
        with self._lock:
            key = headers.get("Idempotency-Key", "")
            valid = verify_signature(body, headers.get("X-Ordre-Signature", ""), self.secret)
            self.requests.append({"key": key, "valid": valid})
            if not valid:
                return 401
            if self.fail_first > 0:
                self.fail_first -= 1
                return 503
            if key not in self.applied_keys:
                self.applied_keys.append(key)
                self.applied_positions.extend(c["position"] for c in json.loads(body)["changes"])
            return 204

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
