"""The registry of API-key scopes.

A scope names what a machine client may call, as `<app>.<verb>` (for example
`councils.sync`, `directory.read`). Each app declares its scopes once, in its
`AppConfig.ready()`:

    from ordre.api.scopes import register_scope
    register_scope("directory.read", "Lire l'annuaire public.")

`issue_api_key` refuses a scope nobody registered, so a typo cannot produce a key
that silently opens nothing (or something else).
"""

import re

SCOPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

_registry: dict[str, str] = {}


def register_scope(code: str, label: str) -> None:
    """Declare a scope. Registering the same code twice with the same label is harmless."""
    if not SCOPE_PATTERN.match(code):
        raise ValueError(f"invalid API scope {code!r}: expected '<app>.<verb>'")
    previous = _registry.get(code)
    if previous is not None and previous != str(label):
        raise ValueError(f"API scope {code!r} registered twice with different labels")
    _registry[code] = str(label)


def known_scopes() -> dict[str, str]:
    """Every registered scope and its French label, sorted by code."""
    return dict(sorted(_registry.items()))


def is_known_scope(code: str) -> bool:
    return code in _registry
