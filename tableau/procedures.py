"""The register's procedure kinds, registered with the dossier engine at start-up.

The engine (`ordre.procedures`) never imports this app: it calls the hooks given here.
"""

from django.utils.translation import gettext_lazy as _

from ordre.procedures.registry import PieceSpec, ProcedureKind, register_kind
from tableau.forms import EU_EEA_CH, RegistrationForm

REGISTRATION = "registration"

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


def register() -> None:
    register_kind(REGISTRATION_KIND, replace=True)
