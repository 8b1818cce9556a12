"""Writes of the council sync: feed settings, acknowledgements, runs and deliveries."""

import functools
import json
import ssl
import time
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ordre.audit.actors import SystemActor
from ordre.audit.services import record_event
from tableau.sync.models import CouncilFeed, SyncDelivery, SyncRun
from tableau.sync.selectors import (
    changes_for_council,
    idempotency_key,
    latest_position,
    serialize_change,
)
from tableau.sync.signing import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, sign

SYNC_ACTOR = SystemActor("task:council-sync")
# Per-council advisory lock namespace: one delivery at a time per council.
_DELIVERY_LOCK_BASE = 0x5C0000


class DeliveryError(Exception):
    """A push did not get a 2xx answer: the batch stays unacknowledged and is retried."""

    def __init__(self, message: str, delivery_id: int | None = None):
        super().__init__(message)
        self.delivery_id = delivery_id


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """Loading the CA bundle costs ~80 ms of CPU: once per process, not per council."""
    return ssl.create_default_context()


def _check_push_url(url: str) -> None:
    if not url:
        return
    scheme = urlsplit(url).scheme
    if scheme != "https" and not settings.COUNCIL_SYNC_ALLOW_HTTP:
        raise ValidationError(_("L'adresse de réception doit être en HTTPS."))


@transaction.atomic
def feed_configure(
    *,
    actor,
    council_code: str,
    push_url: str = "",
    signing_secret: str | None = None,
    enabled: bool = True,
    alert_after_hours: int | None = None,
) -> CouncilFeed:
    _check_push_url(push_url)
    if push_url and not signing_secret:
        existing = CouncilFeed.objects.filter(council_id=council_code).first()
        if existing is None or not existing.signing_secret:
            raise ValidationError(
                _("Un secret de signature est nécessaire pour pousser les changements.")
            )
    feed, created = CouncilFeed.objects.select_for_update().get_or_create(council_id=council_code)
    before = {
        "push_url": feed.push_url,
        "enabled": feed.enabled,
        "alert_after_hours": feed.alert_after_hours,
    }
    feed.push_url = push_url
    feed.enabled = enabled
    if signing_secret:
        feed.signing_secret = signing_secret
    if alert_after_hours is not None:
        feed.alert_after_hours = alert_after_hours
    feed.save()
    after = {
        "push_url": feed.push_url,
        "enabled": feed.enabled,
        "alert_after_hours": feed.alert_after_hours,
    }
    record_event(
        actor=actor,
        action="tableau_sync.feed.created" if created else "tableau_sync.feed.changed",
        target=feed,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k] or created}
        | ({"signing_secret": ["***", "***"]} if signing_secret else {}),
    )
    return feed


@transaction.atomic
def feed_acknowledge(*, actor, council_code: str, position: int) -> CouncilFeed:
    """Move the council's acknowledged position forward (never backward, never past
    the outbox's end): every change up to `position` is then considered received."""
    if position < 0 or position > latest_position():
        raise ValidationError(_("Position inconnue : %(position)s.") % {"position": position})
    feed = CouncilFeed.objects.select_for_update().get(council_id=council_code)
    if position <= feed.acknowledged_position:
        return feed
    before = feed.acknowledged_position
    feed.acknowledged_position = position
    feed.acknowledged_at = timezone.now()
    feed.alerted_at = None
    feed.save(update_fields=["acknowledged_position", "acknowledged_at", "alerted_at"])
    record_event(
        actor=actor,
        action="tableau_sync.feed.acknowledged",
        target=feed,
        changes={"acknowledged_position": [before, position]},
    )
    return feed


@transaction.atomic
def run_start(*, trigger: str, councils: int) -> SyncRun:
    run = SyncRun.objects.create(trigger=trigger, councils=councils)
    record_event(actor=SYNC_ACTOR, action="tableau_sync.run.started", target=run)
    return run


def run_finish_if_done(*, run_id) -> None:
    """Close a run once every council of it is delivered, had nothing, or was given up."""
    with transaction.atomic():
        run = SyncRun.objects.select_for_update().get(pk=run_id)
        if run.finished_at is not None:
            return
        settled = (
            run.deliveries.filter(
                Q(status__in=[SyncDelivery.Status.DELIVERED, SyncDelivery.Status.NOTHING])
                | Q(gave_up=True)
            )
            .values("council_id")
            .distinct()
            .count()
        )
        if settled >= run.councils:
            run.finished_at = timezone.now()
            run.save(update_fields=["finished_at"])


def delivery_give_up(*, delivery_id: int) -> None:
    """No retry is left: the changes stay in the outbox for the next run."""
    SyncDelivery.objects.filter(pk=delivery_id).update(gave_up=True)


def _try_delivery_lock(council_code: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_lock(%s, hashtext(%s))", [_DELIVERY_LOCK_BASE, council_code]
        )
        return cursor.fetchone()[0]


def _release_delivery_lock(council_code: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_unlock(%s, hashtext(%s))", [_DELIVERY_LOCK_BASE, council_code]
        )


def _post_batch(feed: CouncilFeed, changes, *, client: httpx.Client) -> tuple[int, int]:
    """POST one signed batch; return (to_position, http status). Raises DeliveryError."""
    from_position = feed.acknowledged_position
    to_position = changes[-1].id
    body = json.dumps(
        {
            "council": feed.council_id,
            "from_position": from_position,
            "to_position": to_position,
            "changes": [serialize_change(c) for c in changes],
        },
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(body, feed.signing_secret or ""),
        IDEMPOTENCY_HEADER: idempotency_key(
            council_code=feed.council_id, from_position=from_position, to_position=to_position
        ),
    }
    try:
        response = client.post(feed.push_url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"HTTP {response.status_code}")
    return to_position, response.status_code


def deliver_push(*, council_code: str, run_id=None, batch_size: int | None = None) -> SyncDelivery:
    """Push every change the council has not acknowledged, batch by batch.

    A 2xx acknowledges the batch. On failure the delivery is recorded as failed and
    `DeliveryError` propagates (the task retries with backoff); the next attempt starts
    again from the acknowledged position, with the same idempotency key for the same batch.
    """
    batch_size = batch_size or settings.COUNCIL_SYNC_BATCH_SIZE
    feed = CouncilFeed.objects.select_related("council").get(council_id=council_code)
    delivery = SyncDelivery.objects.create(
        run_id=run_id, council_id=council_code, from_position=feed.acknowledged_position,
        to_position=feed.acknowledged_position, attempts=1,
    )  # fmt: skip
    started = time.monotonic()
    if not _try_delivery_lock(council_code):
        return _close(
            delivery, started, SyncDelivery.Status.FAILED, error="another delivery is running"
        )
    try:
        with httpx.Client(
            timeout=settings.COUNCIL_SYNC_HTTP_TIMEOUT, verify=_ssl_context()
        ) as client:
            while True:
                feed.refresh_from_db()
                changes = changes_for_council(
                    council_code=council_code, after=feed.acknowledged_position, limit=batch_size
                )
                if not changes:
                    break
                to_position, status = _post_batch(feed, changes, client=client)
                feed_acknowledge(actor=SYNC_ACTOR, council_code=council_code, position=to_position)
                delivery.to_position = to_position
                delivery.changes += len(changes)
                delivery.batches += 1
                delivery.http_status = status
    except DeliveryError as exc:
        _close(delivery, started, SyncDelivery.Status.FAILED, error=str(exc))
        exc.delivery_id = delivery.pk
        raise
    finally:
        _release_delivery_lock(council_code)
    status = SyncDelivery.Status.DELIVERED if delivery.changes else SyncDelivery.Status.NOTHING
    return _close(delivery, started, status)


def _close(delivery: SyncDelivery, started: float, status: str, *, error: str = "") -> SyncDelivery:
    delivery.status = status
    delivery.error = error[:2000]
    delivery.finished_at = timezone.now()
    delivery.duration_ms = int((time.monotonic() - started) * 1000)
    if error and "HTTP " in error:
        delivery.http_status = int(error.split("HTTP ", 1)[1].split()[0])
    delivery.save()
    return delivery


@transaction.atomic
def record_pull(*, council_code: str, after: int, changes: int, to_position: int) -> SyncDelivery:
    """A pull through the API is a delivery too: record it like a push."""
    now = timezone.now()
    return SyncDelivery.objects.create(
        council_id=council_code, channel="pull",
        status=SyncDelivery.Status.DELIVERED if changes else SyncDelivery.Status.NOTHING,
        from_position=after, to_position=to_position, changes=changes, batches=1 if changes else 0,
        attempts=1, started_at=now, finished_at=now, duration_ms=0,
    )  # fmt: skip


@transaction.atomic
def alert_lagging(*, feed: CouncilFeed, recipients) -> None:
    """Tell the IT admins that a council fell behind (once, until it catches up)."""
    from ordre.notifications.services import notify

    locked = CouncilFeed.objects.select_for_update().get(pk=feed.pk)
    if locked.alerted_at is not None:
        return
    locked.alerted_at = timezone.now()
    locked.save(update_fields=["alerted_at"])
    record_event(actor=SYNC_ACTOR, action="tableau_sync.feed.lagging", target=locked)
    for user in recipients:
        notify(
            recipient=user,
            template="sync_council_lagging",
            context={
                "council_code": locked.council_id,
                "council_name": locked.council.name,
                "acknowledged_position": locked.acknowledged_position,
                "acknowledged_at": locked.acknowledged_at,
                "link": f"/admin/tableau_sync/councilfeed/{locked.pk}/change/",
            },
        )
