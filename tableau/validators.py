"""Identifiers of practice places: SIRET (python-stdnum) and FINESS."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret


def clean_siret(value: str) -> str:
    if not value:
        return ""
    try:
        return stdnum_siret.validate(value)
    except StdnumError:
        raise ValidationError(_("Numéro SIRET invalide."), code="siret") from None


def clean_finess(value: str) -> str:
    """FINESS: 9 characters, the department first (2A/2B in Corsica); the last digit is a
    Luhn key over the first eight (checked for the all-digit numbers; check: the key of
    Corsican numbers is not verified here)."""
    if not value:
        return ""
    compact = value.replace(" ", "").upper()
    if len(compact) != 9 or not (
        compact.isdigit() or (compact[:2] in {"2A", "2B"} and compact[2:].isdigit())
    ):
        raise ValidationError(_("Numéro FINESS invalide (9 caractères)."), code="finess")
    if compact.isdigit():
        try:
            luhn.validate(compact)
        except StdnumError:
            raise ValidationError(_("Numéro FINESS invalide (clé)."), code="finess") from None
    return compact
