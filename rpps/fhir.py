"""FHIR R4 building blocks: `Practitioner` and `PractitionerRole` as plain dicts.

Fed by plain dataclasses, so the register (tableau) can pass its doctors without rpps
knowing its models. Identifiers, type codes and code systems follow FR Core and the
national directory API (Annuaire Santé FHIR): IDNPS ("8" + RPPS) with system
`urn:oid:1.2.250.1.71.4.2.1`, RPPS with system `https://rpps.esante.gouv.fr`, both typed
with the FR Core identifier-type code system; qualifications coded with the NOS
(TRE_G15 profession, TRE_R09 category, TRE_R38 ordinal specialty, TRE_R23 mode).
"""

import datetime as dt
from dataclasses import dataclass

from rpps import nomenclature
from rpps.identifiers import (
    IDENTIFIER_TYPE_SYSTEM,
    IDNPS_SYSTEM,
    RPPS_SYSTEM,
    national_id,
    validate_rpps,
)

FHIR_VERSION = "4.0.1"
FR_CORE_PRACTITIONER = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-practitioner"
FR_CORE_PRACTITIONER_ROLE = (
    "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-practitioner-role"
)
# (check) National structure identifier (IDNST) OID and FINESS system, as used by the
# national directory; verify against the FR Core identifier registry before relying on them.
IDNST_SYSTEM = "urn:oid:1.2.250.1.71.4.2.2"
FINESS_SYSTEM = "http://finess.sante.gouv.fr"


@dataclass(frozen=True)
class Qualification:
    """A savoir-faire: `type_code` from TRE_R04 (S = ordinal specialty), `code` e.g. SM26."""

    code: str
    type_code: str = "S"


@dataclass(frozen=True)
class PractitionerData:
    rpps: str
    family: str
    given: tuple[str, ...] = ()
    civility_code: str = ""  # TRE_R11 civilité d'exercice (DR, ...)
    gender: str = ""  # FHIR administrative gender: male | female | other | unknown
    active: bool = True
    profession_code: str = nomenclature.DOCTOR_PROFESSION_CODE
    category_code: str = "C"
    qualifications: tuple[Qualification, ...] = ()
    last_updated: dt.datetime | None = None
    id: str = ""  # resource id; the RPPS when empty


@dataclass(frozen=True)
class PractitionerRoleData:
    """One activity (situation d'exercice) of a practitioner at a site."""

    id: str
    rpps: str
    practice_mode_code: str = ""  # TRE_R23: L libéral, S salarié, B bénévole...
    profession_code: str = nomenclature.DOCTOR_PROFESSION_CODE
    specialties: tuple[Qualification, ...] = ()
    organization_name: str = ""
    siret: str = ""
    finess: str = ""
    structure_id: str = ""
    street_number: str = ""
    street_name: str = ""
    postal_code: str = ""
    commune_code: str = ""
    commune_name: str = ""
    department_code: str = ""
    phone: str = ""
    email: str = ""
    active: bool = True
    last_updated: dt.datetime | None = None
    practitioner_id: str = ""  # Practitioner resource id; the RPPS when empty


def _coding(table: str, code: str) -> dict:
    coding = {"system": nomenclature.system(table), "code": code}
    display = nomenclature.label(table, code)
    if display:
        coding["display"] = display
    return coding


def _meta(profile: str, last_updated: dt.datetime | None) -> dict:
    meta: dict = {"profile": [profile]}
    if last_updated:
        meta["lastUpdated"] = last_updated.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return meta


def _identifier(code: str, system: str, value: str) -> dict:
    return {
        "use": "official",
        "type": {"coding": [{"system": IDENTIFIER_TYPE_SYSTEM, "code": code}]},
        "system": system,
        "value": value,
    }


def practitioner_identifiers(rpps: str) -> list[dict]:
    """The IDNPS and RPPS identifiers of a practitioner."""
    rpps = validate_rpps(rpps)
    return [
        _identifier("IDNPS", IDNPS_SYSTEM, national_id(rpps)),
        _identifier("RPPS", RPPS_SYSTEM, rpps),
    ]


def qualification_coding(qualification: Qualification) -> dict | None:
    table = nomenclature.savoir_faire_table(qualification.type_code)
    if table is None:
        return None
    return _coding(table, qualification.code)


def practitioner_resource(data: PractitionerData) -> dict:
    """A FHIR R4 Practitioner (FR Core profile) as a JSON-ready dict."""
    name: dict = {"use": "usual", "family": data.family}
    if data.given:
        name["given"] = list(data.given)
    if data.civility_code:
        name["prefix"] = [data.civility_code]
    qualifications = [
        {
            "code": {
                "coding": [
                    _coding(nomenclature.PROFESSION, data.profession_code),
                    *(
                        [_coding(nomenclature.CATEGORY, data.category_code)]
                        if data.category_code
                        else []
                    ),
                ]
            }
        }
    ]
    for qualification in data.qualifications:
        coding = qualification_coding(qualification)
        if coding:
            qualifications.append({"code": {"coding": [coding]}})
    resource = {
        "resourceType": "Practitioner",
        "id": data.id or data.rpps,
        "meta": _meta(FR_CORE_PRACTITIONER, data.last_updated),
        "identifier": practitioner_identifiers(data.rpps),
        "active": data.active,
        "name": [name],
        "qualification": qualifications,
    }
    if data.gender:
        resource["gender"] = data.gender
    return resource


def practitioner_role_resource(data: PractitionerRoleData) -> dict:
    """A FHIR R4 PractitionerRole (FR Core profile) as a JSON-ready dict."""
    codes = [{"coding": [_coding(nomenclature.PROFESSION, data.profession_code)]}]
    if data.practice_mode_code:
        codes.append({"coding": [_coding(nomenclature.PRACTICE_MODE, data.practice_mode_code)]})
    resource: dict = {
        "resourceType": "PractitionerRole",
        "id": data.id,
        "meta": _meta(FR_CORE_PRACTITIONER_ROLE, data.last_updated),
        "active": data.active,
        "practitioner": {
            "reference": f"Practitioner/{data.practitioner_id or data.rpps}",
            "identifier": _identifier("IDNPS", IDNPS_SYSTEM, national_id(data.rpps)),
        },
        "code": codes,
    }
    specialties = [c for c in map(qualification_coding, data.specialties) if c]
    if specialties:
        resource["specialty"] = [{"coding": [coding]} for coding in specialties]
    organization: dict = {}
    if data.organization_name:
        organization["display"] = data.organization_name
    if data.siret:
        organization["identifier"] = {"system": IDNST_SYSTEM, "value": "3" + data.siret}
    elif data.finess:
        organization["identifier"] = {"system": FINESS_SYSTEM, "value": data.finess}
    if organization:
        resource["organization"] = organization
    telecom = []
    if data.phone:
        telecom.append({"system": "phone", "value": data.phone})
    if data.email:
        telecom.append({"system": "email", "value": data.email})
    if telecom:
        resource["telecom"] = telecom
    return resource
