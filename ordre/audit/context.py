"""Where an audited action comes from: request, task or command, bound per context.

The middleware binds the request's id, address and user agent; a Celery signal binds
the task id; a management command wraps its work in `audit_context(command=...)`.
`record_event` reads these values, so callers never pass them by hand.
"""

import contextlib
import contextvars
from collections.abc import Iterator

_FIELDS = ("request_id", "ip", "user_agent", "task_id", "command")
_context: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "ordre_audit_context", default=None
)


def current() -> dict[str, str]:
    return dict(_context.get() or {})


@contextlib.contextmanager
def audit_context(**fields: str | None) -> Iterator[None]:
    unknown = set(fields) - set(_FIELDS)
    if unknown:
        raise TypeError(f"unknown audit context fields: {sorted(unknown)}")
    merged = {**current(), **{k: v for k, v in fields.items() if v}}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)


def bind(**fields: str | None) -> contextvars.Token:
    """Bind for the rest of the current context (a task run); returns the reset token."""
    return _context.set({**current(), **{k: v for k, v in fields.items() if v}})


def reset(token: contextvars.Token) -> None:
    _context.reset(token)
