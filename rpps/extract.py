"""Writing our register in the layout of the public national extract (`|` separated).

Same columns and order as `PS_LibreAcces_Personne_activite` (rpps.layout), one line
per activity and savoir-faire, every line ending with "|" (the empty trailing column),
UTF-8, LF. Only public fields are written; the others stay empty. Fed by the plain
dataclasses of rpps.fhir, so the register can export without rpps knowing its models.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

from rpps import nomenclature
from rpps.fhir import PractitionerData, PractitionerRoleData, Qualification
from rpps.identifiers import national_id, validate_rpps
from rpps.layout import PERSONNE_ACTIVITE_COLUMNS

_FORBIDDEN = str.maketrans({"|": " ", "\n": " ", "\r": " "})


def _clean(value: str | None) -> str:
    return (value or "").translate(_FORBIDDEN).strip()


def _person(doctor: PractitionerData) -> dict[str, str]:
    rpps = validate_rpps(doctor.rpps)
    return {
        "Type d'identifiant PP": "8",
        "Identifiant PP": rpps,
        "Identification nationale PP": national_id(rpps),
        "Code civilité d'exercice": doctor.civility_code,
        "Libellé civilité d'exercice": nomenclature.label(
            nomenclature.CIVILITY, doctor.civility_code
        )
        or "",
        "Nom d'exercice": doctor.family,
        "Prénom d'exercice": " ".join(doctor.given[:1]),
        "Code profession": doctor.profession_code,
        "Libellé profession": nomenclature.label(nomenclature.PROFESSION, doctor.profession_code)
        or "",
        "Code catégorie professionnelle": doctor.category_code,
        "Libellé catégorie professionnelle": nomenclature.label(
            nomenclature.CATEGORY, doctor.category_code
        )
        or "",
    }


def _savoir_faire(qualification: Qualification | None) -> dict[str, str]:
    if qualification is None:
        return {}
    return {
        "Code type savoir-faire": qualification.type_code,
        "Libellé type savoir-faire": nomenclature.label(
            nomenclature.SAVOIR_FAIRE_TYPE, qualification.type_code
        )
        or "",
        "Code savoir-faire": qualification.code,
        "Libellé savoir-faire": nomenclature.savoir_faire_label(
            qualification.type_code, qualification.code
        )
        or "",
    }


def _activity(role: PractitionerRoleData | None) -> dict[str, str]:
    if role is None:
        return {}
    return {
        "Code mode exercice": role.practice_mode_code,
        "Libellé mode exercice": nomenclature.label(
            nomenclature.PRACTICE_MODE, role.practice_mode_code
        )
        or "",
        "Numéro SIRET site": role.siret,
        "Numéro SIREN site": role.siret[:9],
        "Numéro FINESS site": role.finess,
        "Identifiant technique de la structure": role.structure_id,
        "Raison sociale site": role.organization_name,
        "Numéro Voie (coord. structure)": role.street_number,
        "Libellé Voie (coord. structure)": role.street_name,
        "Code postal (coord. structure)": role.postal_code,
        "Code commune (coord. structure)": role.commune_code,
        "Libellé commune (coord. structure)": role.commune_name,
        "Téléphone (coord. structure)": role.phone,
        "Adresse e-mail (coord. structure)": role.email,
        "Code Département (structure)": role.department_code,
    }


def header_line() -> str:
    return "|".join(PERSONNE_ACTIVITE_COLUMNS) + "|"


def extract_lines(
    doctors: Iterable[tuple[PractitionerData, Sequence[PractitionerRoleData]]],
) -> Iterator[str]:
    """Lines (without the header, without line end) for (doctor, roles) pairs.

    One line per role and savoir-faire (the role's specialties, else the doctor's
    qualifications); a doctor without a role still gets one line.
    """
    for doctor, roles in doctors:
        person = _person(doctor)
        for role in roles or [None]:
            specialties = (role.specialties if role else ()) or doctor.qualifications
            for qualification in specialties or [None]:
                values = {**person, **_savoir_faire(qualification), **_activity(role)}
                yield "|".join(_clean(values.get(c)) for c in PERSONNE_ACTIVITE_COLUMNS) + "|"


def write_extract(
    stream: TextIO,
    doctors: Iterable[tuple[PractitionerData, Sequence[PractitionerRoleData]]],
) -> int:
    """Write the header and the lines to a text stream (open it with newline="\\n",
    encoding="utf-8"); returns the number of data lines."""
    stream.write(header_line() + "\n")
    count = 0
    for line in extract_lines(doctors):
        stream.write(line + "\n")
        count += 1
    return count
