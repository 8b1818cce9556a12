"""Reads of the audit trail."""

from collections.abc import Iterator
from dataclasses import dataclass

from ordre.audit.chain import GENESIS_HASH, compute_hash
from ordre.audit.models import AuditEvent


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def chain_head() -> dict:
    """The last row's id and hash: keep it elsewhere to detect a rewritten tail."""
    last = AuditEvent.objects.order_by("-id").values("id", "hash", "occurred_at").first()
    if last is None:
        return {"id": None, "hash": GENESIS_HASH, "occurred_at": None, "count": 0}
    return {
        "id": last["id"],
        "hash": last["hash"],
        "occurred_at": last["occurred_at"].isoformat(),
        "count": AuditEvent.objects.count(),
    }


def _walk(batch_size: int) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id


def verify_chain(*, batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk the whole trail; return the number of rows checked and the first break."""
    expected_prev = GENESIS_HASH
    checked = 0
    for event in _walk(batch_size):
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(event.id, "previous hash does not match the prior row")
        if compute_hash(event) != event.hash:
            return checked, ChainBreak(event.id, "content does not match its hash")
        expected_prev = event.hash
        checked += 1
    return checked, None


def events_about(subject: str):
    return AuditEvent.objects.filter(subject=subject).order_by("-id")
