"""Choices of the register."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DoctorStatus(models.TextChoices):
    REGISTERED = "registered", _("Inscrit")
    SUSPENDED = "suspended", _("Suspendu")
    STRUCK_OFF = "struck_off", _("Radié")
    RETIRED = "retired", _("Retraité")
    DECEASED = "deceased", _("Décédé")
    TRANSFERRED = "transferred", _("Transféré")


class Sex(models.TextChoices):
    FEMALE = "F", _("Féminin")
    MALE = "M", _("Masculin")


class RegisterChangeKind(models.TextChoices):
    REGISTERED = "registered", _("Inscription")
    IDENTITY = "identity", _("Identité")
    CONTACT = "contact", _("Coordonnées")
    STATUS = "status", _("Statut")
    TRANSFER = "transfer", _("Transfert")
    QUALIFICATION_ADDED = "qualification_added", _("Qualification ajoutée")
    QUALIFICATION_ENDED = "qualification_ended", _("Qualification retirée")
    PLACE_ADDED = "place_added", _("Lieu d’exercice ajouté")
    PLACE_CHANGED = "place_changed", _("Lieu d’exercice modifié")
    PLACE_ENDED = "place_ended", _("Lieu d’exercice fermé")


#: Which status changes are allowed: from → set of targets. DECEASED is final.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    DoctorStatus.REGISTERED: frozenset(
        {
            DoctorStatus.SUSPENDED,
            DoctorStatus.STRUCK_OFF,
            DoctorStatus.RETIRED,
            DoctorStatus.DECEASED,
        }
    ),
    DoctorStatus.SUSPENDED: frozenset(
        {
            DoctorStatus.REGISTERED,
            DoctorStatus.STRUCK_OFF,
            DoctorStatus.RETIRED,
            DoctorStatus.DECEASED,
        }
    ),
    DoctorStatus.RETIRED: frozenset(
        {DoctorStatus.REGISTERED, DoctorStatus.STRUCK_OFF, DoctorStatus.DECEASED}
    ),
    DoctorStatus.STRUCK_OFF: frozenset({DoctorStatus.REGISTERED, DoctorStatus.DECEASED}),
    DoctorStatus.TRANSFERRED: frozenset(),
    DoctorStatus.DECEASED: frozenset(),
}
