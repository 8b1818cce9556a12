"""The one table of the dossier lifecycle: every transition, who may take it, from where.

    draft ─submit→ submitted ─request_pieces→ incomplete ─resubmit→ submitted
    submitted ─start_review→ under_review ─accept→ accepted
                                          ─refuse→ refused
    (submitted | under_review, past the deadline) ─refuse_implicitly→ implicitly_refused
    (any open state) ─withdraw→ withdrawn            (by the applicant)
    (refused | implicitly_refused | withdrawn) ─reopen→ under_review   (by a clerk)

`assign` and `mark_complete` keep the state (target `None`) but are transitions all the
same: checked here, audited, written to the dossier history.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from ordre.procedures.enums import DossierState as S


class Actor(StrEnum):
    APPLICANT = "applicant"  # the applicant of the dossier
    CLERK = "clerk"  # a clerk of the dossier's council
    SYSTEM = "system"  # a task of the platform (the legal clock)


@dataclass(frozen=True)
class Transition:
    verb: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change
    actor: Actor


def _t(verb, label, sources, target, actor) -> Transition:
    return Transition(verb, label, frozenset(sources), target, actor)


_OPEN_FILED = (S.SUBMITTED, S.INCOMPLETE, S.UNDER_REVIEW)

TRANSITIONS: dict[str, Transition] = {
    t.verb: t
    for t in (
        _t("submit", _("Déposer"), [S.DRAFT], S.SUBMITTED, Actor.APPLICANT),
        _t("request_pieces", _("Demander des pièces"), [S.SUBMITTED, S.UNDER_REVIEW], S.INCOMPLETE, Actor.CLERK),
        _t("resubmit", _("Redéposer"), [S.INCOMPLETE], S.SUBMITTED, Actor.APPLICANT),
        _t("start_review", _("Passer en instruction"), [S.SUBMITTED], S.UNDER_REVIEW, Actor.CLERK),
        _t("mark_complete", _("Déclarer complet"), [S.SUBMITTED, S.UNDER_REVIEW], None, Actor.CLERK),
        _t("assign", _("Affecter"), _OPEN_FILED, None, Actor.CLERK),
        _t("accept", _("Accepter"), [S.UNDER_REVIEW], S.ACCEPTED, Actor.CLERK),
        _t("refuse", _("Refuser"), [S.UNDER_REVIEW], S.REFUSED, Actor.CLERK),
        _t("refuse_implicitly", _("Refus implicite"), [S.SUBMITTED, S.UNDER_REVIEW], S.IMPLICITLY_REFUSED, Actor.SYSTEM),
        _t("withdraw", _("Retirer"), [S.DRAFT, *_OPEN_FILED], S.WITHDRAWN, Actor.APPLICANT),
        _t("reopen", _("Rouvrir"), [S.REFUSED, S.IMPLICITLY_REFUSED, S.WITHDRAWN], S.UNDER_REVIEW, Actor.CLERK),
    )
}  # fmt: skip


def allowed_verbs(state: str, actor: Actor) -> list[str]:
    """The verbs `actor` may take from `state` (to show the right buttons)."""
    return [t.verb for t in TRANSITIONS.values() if state in t.sources and t.actor == actor]
