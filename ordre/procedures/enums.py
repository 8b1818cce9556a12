"""Choices of the dossier engine and the audit action codes it records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposé")
    INCOMPLETE = "incomplete", _("En attente de pièces")
    UNDER_REVIEW = "under_review", _("En instruction")
    ACCEPTED = "accepted", _("Accepté")
    REFUSED = "refused", _("Refusé")
    IMPLICITLY_REFUSED = "implicitly_refused", _("Refus implicite")
    WITHDRAWN = "withdrawn", _("Retiré")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Acceptation")
    REFUSED = "refused", _("Refus")
    IMPLICIT_REFUSAL = "implicit_refusal", _("Refus implicite (silence de l’administration)")


#: States in which the dossier is still open (not decided, not withdrawn).
OPEN_STATES = frozenset(
    {
        DossierState.DRAFT,
        DossierState.SUBMITTED,
        DossierState.INCOMPLETE,
        DossierState.UNDER_REVIEW,
    }
)
#: States a clerk works on: the dossier has been filed and is not decided.
PENDING_STATES = frozenset(
    {DossierState.SUBMITTED, DossierState.INCOMPLETE, DossierState.UNDER_REVIEW}
)
#: States in which the legal clock runs (a complete dossier awaiting its decision).
CLOCK_STATES = frozenset({DossierState.SUBMITTED, DossierState.UNDER_REVIEW})

#: Days during which a decision can be appealed.
APPEAL_DAYS = 30


def action(verb: str) -> str:
    """Audit action code of a dossier transition: `procedures.dossier.<verb>`."""
    return f"procedures.dossier.{verb}"
