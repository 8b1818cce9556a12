"""Recording audit events: the only way rows enter the trail."""

import datetime as dt
import ipaddress

from django.db import connection, transaction

from ordre.audit import context
from ordre.audit.actors import ANONYMOUS_LABEL, SystemActor
from ordre.audit.chain import GENESIS_HASH, compute_hash
from ordre.audit.models import ActorKind, AuditEvent

# One PostgreSQL advisory lock serialises the writers of the chain: each row needs
# the committed hash of the previous one. It is held until the caller's commit.
CHAIN_LOCK_ID = 0x0A0D17


class AuditOutsideTransaction(RuntimeError):
    """An audit event must be written in the same transaction as the change it records."""


def _actor_fields(actor) -> dict:
    if actor is None:
        return {"actor_kind": ActorKind.ANONYMOUS, "actor_label": ANONYMOUS_LABEL}
    if isinstance(actor, SystemActor):
        return {"actor_kind": ActorKind.SYSTEM, "actor_label": actor.label}
    if getattr(actor, "is_authenticated", False):
        return {
            "actor_kind": ActorKind.USER,
            "actor_user_id": actor.pk,
            "actor_label": actor.get_username()[:150],
            "actor_roles": sorted(actor.groups.values_list("name", flat=True)),
        }
    if getattr(actor, "is_anonymous", False):
        return {"actor_kind": ActorKind.ANONYMOUS, "actor_label": ANONYMOUS_LABEL}
    raise TypeError(f"not an audit actor: {actor!r}")


def _target_fields(target, target_type: str, target_id) -> dict:
    if target is not None:
        meta = target._meta
        return {"target_type": f"{meta.app_label}.{meta.model_name}", "target_id": str(target.pk)}
    return {
        "target_type": target_type,
        "target_id": "" if target_id in (None, "") else str(target_id),
    }


def _context_fields() -> dict:
    ctx = context.current()
    ip = ctx.get("ip") or None
    if ip:
        try:
            ip = str(ipaddress.ip_address(ip))
        except ValueError:
            ip = None
    return {
        "request_id": ctx.get("request_id", "")[:64],
        "ip": ip,
        "user_agent": ctx.get("user_agent", "")[:300],
        "task_id": ctx.get("task_id", "")[:64],
        "command": ctx.get("command", "")[:100],
    }


def acquire_chain_lock() -> None:
    """Take the chain's lock until the current transaction ends.

    Outbox writers take it before inserting: rows then get their positions in commit
    order, so a reader acknowledging position N never skips a row that commits later
    with a smaller position. (Every such transaction audits anyway, so this adds no
    contention: it only takes the lock earlier.)
    """
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction("the chain lock is only meaningful inside a transaction")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])


def record_event(
    *,
    actor,
    action: str,
    target=None,
    target_type: str = "",
    target_id="",
    subject: str = "",
    changes: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the trail, inside the caller's transaction.

    `actor` is a User, a `SystemActor`, or None for an anonymous visitor. `changes`
    maps non-sensitive field names to `[before, after]`; never personal content.
    """
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(
            "record_event must run inside the transaction of the change it records"
        )
    if action.count(".") < 2:
        raise ValueError(f"action must read app.object.verb, not {action!r}")
    event = AuditEvent(
        occurred_at=dt.datetime.now(dt.UTC),
        action=action,
        subject=subject,
        changes=changes or {},
        reason=reason,
        **_actor_fields(actor),
        **_target_fields(target, target_type, target_id),
        **_context_fields(),
    )
    acquire_chain_lock()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    event.prev_hash = last or GENESIS_HASH
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    return event


def record_event_now(**kwargs) -> AuditEvent:
    """Record an event in a transaction of its own: for refusals and failures, whose
    audit row must survive although the request itself changes nothing."""
    with transaction.atomic():
        return record_event(**kwargs)
