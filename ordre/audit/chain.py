"""The hash chain: each row's hash covers the previous row's hash and its own content."""

import hashlib
import ipaddress
import json

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "occurred_at",
    "actor_kind",
    "actor_user_id",
    "actor_label",
    "actor_roles",
    "action",
    "target_type",
    "target_id",
    "subject",
    "changes",
    "reason",
    "request_id",
    "ip",
    "user_agent",
    "task_id",
    "command",
    "prev_hash",
)


def _normalise(field: str, value):
    if value is None:
        return None
    if field == "occurred_at":
        return value.isoformat(timespec="microseconds")
    if field == "ip":
        return str(ipaddress.ip_address(value))
    return value


def content_of(event) -> dict:
    return {field: _normalise(field, getattr(event, field)) for field in HASHED_FIELDS}


def compute_hash(event) -> str:
    canonical = json.dumps(
        content_of(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
