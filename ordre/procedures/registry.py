"""The registry of procedure kinds.

A domain app declares each of its procedures once, from its `AppConfig.ready()`:

    register_kind(ProcedureKind(
        code="registration", label=_("Inscription au tableau"), form_class=RegistrationForm,
        required_pieces=(PieceSpec("identity", _("Pièce d’identité")), ...),
        deadline_months=3, on_accept=registration_on_accept,
    ))

The engine reads the kind of a dossier here and calls its hooks; it never imports the
domain app. Deadlines are data of the kind (months), with an optional per-dossier rule
(`deadline_months_for`, e.g. 6 months for a non-EU diploma that needs an enquiry).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class PieceSpec:
    code: str
    label: str
    required: bool = True
    help_text: str = ""


@dataclass(frozen=True)
class ProcedureKind:
    code: str
    label: str
    form_class: type | None = None
    pieces: tuple[PieceSpec, ...] = ()
    deadline_months: int = 3
    #: Optional rule `(dossier) -> months` overriding `deadline_months` for one dossier.
    deadline_months_for: Callable[[Any], int] | None = None
    #: Called inside the acceptance transaction: `(dossier, actor) -> None`.
    on_accept: Callable[[Any, Any], None] | None = None
    #: Who may file this kind: `(user) -> bool`; everyone authenticated when None.
    can_apply: Callable[[Any], bool] | None = None
    #: The council the applicant leaves, if any: `(user) -> council code | None` (a
    #: transfer). Its clerks see the dossier read-only; the dossier's council decides.
    origin_council_for: Callable[[Any], str | None] | None = None
    description: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def required_pieces(self) -> tuple[PieceSpec, ...]:
        return tuple(p for p in self.pieces if p.required)

    def piece(self, code: str) -> PieceSpec | None:
        return next((p for p in self.pieces if p.code == code), None)

    def months_for(self, dossier) -> int:
        if self.deadline_months_for is not None:
            return int(self.deadline_months_for(dossier))
        return self.deadline_months


_KINDS: dict[str, ProcedureKind] = {}


def register_kind(kind: ProcedureKind, *, replace: bool = False) -> ProcedureKind:
    if len(kind.code) > 40:
        raise ImproperlyConfigured(f"procedure kind code too long: {kind.code!r}")
    if kind.code in _KINDS and not replace and _KINDS[kind.code] is not kind:
        raise ImproperlyConfigured(f"procedure kind {kind.code!r} is already registered")
    _KINDS[kind.code] = kind
    return kind


def unregister_kind(code: str) -> None:
    """For tests that register a throw-away kind."""
    _KINDS.pop(code, None)


def get_kind(code: str) -> ProcedureKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"unknown procedure kind {code!r}") from None


def kinds() -> list[ProcedureKind]:
    return sorted(_KINDS.values(), key=lambda k: str(k.label))


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in kinds()]
