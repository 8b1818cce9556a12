"""HMAC signature of a pushed body: `X-Ordre-Signature: t=<unix time>,v1=<hex sha256>`.

The signed message is `<t>.<body>`, as Stripe and GitHub do, so a receiver can refuse
a replay older than its tolerance. Receivers verify with `verify_signature`.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Ordre-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def sign(body: bytes, secret: str, *, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(body: bytes, header: str, secret: str, *, tolerance: int = 300) -> bool:
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = sign(body, secret, timestamp=timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, given)
