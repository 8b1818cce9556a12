"""The register's procedure kinds, registered with the dossier engine at start-up.

The engine (`ordre.procedures`) never imports this app: it calls the hooks given here.
"""

from django.utils.translation import gettext_lazy as _

from ordre.procedures.registry import PieceSpec, ProcedureKind, register_kind
from tableau.forms import (
    EU_EEA_CH,
    DpcDeclarationForm,
    QualificationForm,
    RegistrationForm,
    SituationChangeForm,
    TransferForm,
)

REGISTRATION = "registration"
TRANSFER = "transfer"
QUALIFICATION = "qualification"
SITUATION_CHANGE = "situation_change"
DPC_DECLARATION = "dpc_declaration"

#: Deadlines in months, by case (data; check against the Code de la santé publique).
REGISTRATION_DEADLINE_MONTHS = 3
REGISTRATION_ENQUIRY_DEADLINE_MONTHS = 6

REGISTRATION_PIECES = (
    PieceSpec("identity", _("Pièce d’identité")),
    PieceSpec("diplomas", _("Diplômes, certificats ou titres")),
    PieceSpec("criminal_record", _("Extrait de casier judiciaire (bulletin n° 3)")),
    PieceSpec("sworn_statements", _("Déclarations sur l’honneur")),
    PieceSpec("practice_contracts", _("Contrats d’exercice"), required=False),
)


def registration_deadline_months(dossier) -> int:
    """6 months when the diploma comes from outside the EU/EEA (an enquiry is needed)."""
    country = (dossier.form_data or {}).get("diploma_country", "FR").upper()
    if country not in EU_EEA_CH:
        return REGISTRATION_ENQUIRY_DEADLINE_MONTHS
    return REGISTRATION_DEADLINE_MONTHS


def registration_on_accept(dossier, actor) -> None:
    """Acceptance enters the applicant in the register with a new RPPS number."""
    from tableau.services import register_from_registration_dossier

    register_from_registration_dossier(actor=actor, dossier=dossier)


def _not_yet_registered(user) -> bool:
    from tableau.models import Doctor

    return not Doctor.objects.filter(user_id=user.pk).exists()


REGISTRATION_KIND = ProcedureKind(
    code=REGISTRATION,
    label=_("Inscription au tableau de l’Ordre"),
    form_class=RegistrationForm,
    pieces=REGISTRATION_PIECES,
    deadline_months=REGISTRATION_DEADLINE_MONTHS,
    deadline_months_for=registration_deadline_months,
    on_accept=registration_on_accept,
    can_apply=_not_yet_registered,
    description=_(
        "Première inscription d’un médecin au tableau du conseil départemental de son lieu "
        "d’exercice."
    ),
)


def _registered_doctor(user) -> bool:
    from tableau.enums import DoctorStatus
    from tableau.models import Doctor

    return Doctor.objects.filter(user_id=user.pk, status=DoctorStatus.REGISTERED).exists()


def _hook(name: str):
    """A hook calling `tableau.services.<name>(actor=, dossier=)` (imported lazily)."""

    def hook(dossier, actor) -> None:
        from tableau import services

        getattr(services, name)(actor=actor, dossier=dossier)

    hook.__name__ = name
    return hook


def _current_council(user) -> str | None:
    """The council a transfer leaves: the one holding the doctor when the dossier is filed."""
    from tableau.models import Doctor

    return Doctor.objects.filter(user_id=user.pk).values_list("council_id", flat=True).first()


# Deadlines of the other procedures: 3 months until checked against the texts (check).
OTHER_DEADLINE_MONTHS = 3

TRANSFER_KIND = ProcedureKind(
    code=TRANSFER,
    label=_("Transfert vers un autre conseil départemental"),
    form_class=TransferForm,
    pieces=(
        PieceSpec("practice_contracts", _("Contrat ou justificatif du nouvel exercice")),
        PieceSpec("other", _("Autre pièce"), required=False),
    ),
    deadline_months=OTHER_DEADLINE_MONTHS,
    on_accept=_hook("apply_transfer_dossier"),
    can_apply=_registered_doctor,
    origin_council_for=_current_council,
    description=_("Déposé auprès du conseil d’arrivée, qui décide du transfert."),
)
QUALIFICATION_KIND = ProcedureKind(
    code=QUALIFICATION,
    label=_("Demande de qualification de spécialiste"),
    form_class=QualificationForm,
    pieces=(PieceSpec("diplomas", _("Diplômes, certificats ou titres")),),
    deadline_months=OTHER_DEADLINE_MONTHS,
    on_accept=_hook("apply_qualification_dossier"),
    can_apply=_registered_doctor,
)
SITUATION_CHANGE_KIND = ProcedureKind(
    code=SITUATION_CHANGE,
    label=_("Changement de situation professionnelle"),
    form_class=SituationChangeForm,
    pieces=(PieceSpec("proof", _("Justificatif"), required=False),),
    deadline_months=OTHER_DEADLINE_MONTHS,
    on_accept=_hook("apply_situation_change_dossier"),
    can_apply=_registered_doctor,
)
DPC_KIND = ProcedureKind(
    code=DPC_DECLARATION,
    label=_("Déclaration DPC / certification périodique"),
    form_class=DpcDeclarationForm,
    pieces=(PieceSpec("dpc_certificates", _("Attestations des actions suivies")),),
    deadline_months=OTHER_DEADLINE_MONTHS,
    on_accept=None,  # the acceptance itself is the record
    can_apply=_registered_doctor,
)

KINDS = (REGISTRATION_KIND, TRANSFER_KIND, QUALIFICATION_KIND, SITUATION_CHANGE_KIND, DPC_KIND)


def register() -> None:
    for kind in KINDS:
        register_kind(kind, replace=True)
