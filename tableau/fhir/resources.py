"""FHIR R4 resources of the public directory: Practitioner, PractitionerRole, Bundle,
CapabilityStatement and OperationOutcome, as JSON-ready dicts.

Built from `tableau.directory.models.DirectoryEntry` (public fields only: no birth date,
no sex, no private contact) through the FR Core builders of `rpps.fhir`.
"""

from django.utils import timezone

from rpps.fhir import (
    FHIR_VERSION,
    FR_CORE_PRACTITIONER,
    FR_CORE_PRACTITIONER_ROLE,
    PractitionerData,
    PractitionerRoleData,
    Qualification,
    practitioner_resource,
    practitioner_role_resource,
)
from tableau.directory.models import DirectoryEntry
from tableau.normalise import department_of

PRACTITIONER = "Practitioner"
PRACTITIONER_ROLE = "PractitionerRole"


def role_id(rpps: str, n: int) -> str:
    """Id of the n-th (from 1) practice place of a doctor as a PractitionerRole."""
    return f"{rpps}-{n}"


def practitioner_data(entry: DirectoryEntry) -> PractitionerData:
    return PractitionerData(
        rpps=entry.rpps,
        family=entry.last_name,
        given=(entry.first_name,) if entry.first_name else (),
        active=entry.listed,
        qualifications=tuple(Qualification(code=code) for code in entry.specialties),
        last_updated=entry.updated_at,
    )


def role_data(entry: DirectoryEntry, n: int, place: dict) -> PractitionerRoleData:
    return PractitionerRoleData(
        id=role_id(entry.rpps, n),
        rpps=entry.rpps,
        practice_mode_code=place.get("mode", ""),
        specialties=tuple(Qualification(code=code) for code in entry.specialties),
        organization_name=place.get("name", ""),
        street_name=place.get("address", ""),
        postal_code=place.get("postal_code", ""),
        commune_name=place.get("city", ""),
        department_code=department_of(place.get("postal_code", "")),
        active=entry.listed,
        last_updated=entry.updated_at,
    )


def practitioner(entry: DirectoryEntry) -> dict:
    resource = practitioner_resource(practitioner_data(entry))
    # The title of practice: every listed person is a doctor (TRE_R11 "DR").
    resource["name"][0]["prefix"] = ["Dr"]
    return resource


def _place_display(place: dict) -> str:
    city = " ".join(p for p in (place.get("postal_code", ""), place.get("city", "")) if p)
    parts = (place.get("name", ""), place.get("address", ""), city)
    return ", ".join(p for p in parts if p)


def roles(entry: DirectoryEntry) -> list[dict]:
    """One PractitionerRole per practice place of the entry, in the register's order."""
    result = []
    for n, place in enumerate(entry.places or [], start=1):
        resource = practitioner_role_resource(role_data(entry, n, place))
        display = _place_display(place)
        if display:
            resource["location"] = [{"display": display}]
        result.append(resource)
    return result


def operation_outcome(code: str, diagnostics: str, severity: str = "error") -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": str(diagnostics)}],
    }


def bundle(*, self_url: str, next_url: str | None, entries: list[tuple[str, dict, str]]) -> dict:
    """A searchset Bundle; `entries` are (fullUrl, resource, mode) with mode match|include.

    `total` is omitted: counting would run the search a second time over every match.
    """
    links = [{"relation": "self", "url": self_url}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": timezone.now().isoformat().replace("+00:00", "Z"),
        "link": links,
        "entry": [
            {"fullUrl": url, "resource": resource, "search": {"mode": mode}}
            for url, resource, mode in entries
        ],
    }


def _param(name: str, kind: str, documentation: str) -> dict:
    return {"name": name, "type": kind, "documentation": documentation}


_COMMON_PARAMS = [
    _param("_id", "token", "Identifiant de la ressource."),
    _param("active", "token", "true (par défaut) ou false : inscrit et publié, ou non."),
    _param("_lastUpdated", "date", "Date de dernière modification (préfixes gt, ge, lt, le)."),
    _param("_count", "number", "Nombre de résultats par page (100 au plus)."),
]


def capability_statement(*, base_url: str) -> dict:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.now().date().isoformat(),
        "publisher": "Ordre des médecins",
        "kind": "instance",
        "implementation": {
            "description": "Annuaire public des médecins (FHIR R4)",
            "url": base_url,
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "security": {"description": "Accès anonyme, limité par client."},
                "resource": [
                    {
                        "type": PRACTITIONER,
                        "profile": FR_CORE_PRACTITIONER,
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchRevInclude": ["PractitionerRole:practitioner"],
                        "searchParam": [
                            _param("family", "string", "Nom d’exercice (préfixe, sans accents)."),
                            _param("given", "string", "Prénom d’exercice (préfixe, sans accents)."),
                            _param("name", "string", "Nom ou prénom (préfixe de chaque mot)."),
                            _param(
                                "identifier",
                                "token",
                                "RPPS (https://rpps.esante.gouv.fr) ou IDNPS "
                                "(urn:oid:1.2.250.1.71.4.2.1), système|valeur ou valeur.",
                            ),
                            _param(
                                "qualification-code",
                                "token",
                                "Spécialité ordinale (TRE_R38), système|code ou code.",
                            ),
                            *_COMMON_PARAMS,
                        ],
                    },
                    {
                        "type": PRACTITIONER_ROLE,
                        "profile": FR_CORE_PRACTITIONER_ROLE,
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchInclude": ["PractitionerRole:practitioner"],
                        "searchParam": [
                            _param("specialty", "token", "Spécialité ordinale (TRE_R38)."),
                            _param(
                                "practitioner",
                                "reference",
                                "Le professionnel : Practitioner/<RPPS>.",
                            ),
                            *_COMMON_PARAMS,
                        ],
                    },
                ],
            }
        ],
    }
