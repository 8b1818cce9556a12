"""Reads of the council feeds: which changes a council still has to receive."""

from django.db.models import Max

from tableau.models import RegisterChange
from tableau.sync.models import CouncilFeed

MAX_BATCH = 1000


def changes_for_council(
    *, council_code: str, after: int, limit: int = MAX_BATCH
) -> list[RegisterChange]:
    """The changes that concern the council (its doctors, transfers in and out), after a
    position, in position order. Uses the GIN index on `councils`."""
    limit = max(1, min(limit, MAX_BATCH))
    return list(
        RegisterChange.objects.filter(councils__contains=[council_code], id__gt=after)
        .order_by("id")
        .only("id", "doctor_id", "kind", "payload", "created_at", "councils")[:limit]
    )


def serialize_change(change: RegisterChange) -> dict:
    return {
        "position": change.id,
        "kind": change.kind,
        "doctor_rpps": change.payload.get("rpps"),
        "councils": change.councils,
        "created_at": change.created_at.isoformat(),
        "data": change.payload,
    }


def idempotency_key(*, council_code: str, from_position: int, to_position: int) -> str:
    """The same batch always carries the same key, so a receiver can drop a redelivery."""
    return f"ordre-{council_code}-{from_position}-{to_position}"


def latest_position() -> int:
    return RegisterChange.objects.aggregate(m=Max("id"))["m"] or 0


def feeds_to_run(council_code: str | None = None):
    feeds = CouncilFeed.objects.filter(enabled=True).select_related("council")
    if council_code:
        feeds = feeds.filter(council_id=council_code)
    return feeds


def lagging_feeds(*, now):
    """Enabled feeds that have changes waiting and acknowledged nothing for too long."""
    from datetime import timedelta

    lagging = []
    for feed in CouncilFeed.objects.filter(enabled=True).select_related("council"):
        reference = feed.acknowledged_at or feed.created_at
        if now - reference <= timedelta(hours=feed.alert_after_hours):
            continue
        if RegisterChange.objects.filter(
            councils__contains=[feed.council_id], id__gt=feed.acknowledged_position
        ).exists():
            lagging.append(feed)
    return lagging
