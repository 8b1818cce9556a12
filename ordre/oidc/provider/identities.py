"""Demonstration identities of the local provider (fictitious people).

The two doctors carry the RPPS of the demo doctor and demo hospital professional of
`ordre.accounts.demo` (a test checks they agree), so a Pro Santé Connect login links
to those accounts; the hospital doctor works at a FINESS site; the applicant has no
RPPS (a first FranceConnect login creates an applicant account); the patient's
FranceConnect identity is linked to the demo patient by `ordre.oidc.demo`.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Identity:
    key: str
    profile: str  # "fc" or "psc"
    label: str
    given_name: str
    family_name: str
    claims: dict = field(default_factory=dict)

    def subject(self, client_id: str) -> str:
        """FranceConnect gives each client a pairwise subject (64 hex + "v1");
        Pro Santé Connect a stable technical identifier."""
        if self.profile == "fc":
            return hashlib.sha256(f"{self.key}:{client_id}".encode()).hexdigest() + "v1"
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"psc-local:{self.key}"))


# Same values as ordre.accounts.demo (this module imports no Django code).
DOCTOR_RPPS = "10000000009"
HOSPITAL_DOCTOR_RPPS = "10000000017"


def _psc_claims(
    *, rpps: str, given: str, family: str, civility: str, activity: dict
) -> dict[str, object]:
    return {
        "SubjectNameID": "8" + rpps,
        "preferred_username": "8" + rpps,
        "SubjectOrganization": activity.get("raisonSocialeSite", ""),
        "SubjectRefPro": {
            "codeCivilite": civility,
            "exercices": [
                {
                    "codeProfession": "10",
                    "codeCategorieProfessionnelle": "C",
                    "codeCiviliteDExercice": "DR",
                    "nomDExercice": family,
                    "prenomDExercice": given,
                    "codeTypeSavoirFaire": "S",
                    "codeSavoirFaire": "SM54",
                    "activities": [activity],
                }
            ],
        },
    }


IDENTITIES: tuple[Identity, ...] = (
    Identity(
        key="medecin",
        profile="psc",
        label="Dr Claire Médecin, médecin généraliste libérale inscrite au tableau",
        given_name="Claire",
        family_name="MÉDECIN",
        claims=_psc_claims(
            rpps=DOCTOR_RPPS,
            given="Claire",
            family="MÉDECIN",
            civility="MME",
            activity={
                "codeModeExercice": "L",
                "codeSecteurDActivite": "SA07",
                "numeroSiretSite": "12345678900011",
                "numeroSirenSite": "123456789",
                "numeroFinessSite": "",
                "numeroFinessetablissementJuridique": "",
                "raisonSocialeSite": "Cabinet du Dr Médecin",
                "libelleCommuneCoordStructure": "Lyon",
                "codePostalCoordStructure": "69003",
            },
        ),
    ),
    Identity(
        key="hospitalier",
        profile="psc",
        label="Dr Inès Hospitalière, médecin salariée du centre hospitalier (FINESS)",
        given_name="Inès",
        family_name="HOSPITALIÈRE",
        claims=_psc_claims(
            rpps=HOSPITAL_DOCTOR_RPPS,
            given="Inès",
            family="HOSPITALIÈRE",
            civility="MME",
            activity={
                "codeModeExercice": "S",
                "codeSecteurDActivite": "SA01",
                "numeroSiretSite": "",
                "numeroSirenSite": "",
                "numeroFinessSite": "690000880",
                "numeroFinessetablissementJuridique": "690781810",
                "raisonSocialeSite": "Centre hospitalier de démonstration",
                "libelleCommuneCoordStructure": "Lyon",
                "codePostalCoordStructure": "69002",
            },
        ),
    ),
    Identity(
        key="demandeur",
        profile="fc",
        label="Camille Bernard, future médecin sans numéro RPPS",
        given_name="Camille",
        family_name="BERNARD",
        claims={
            "birthdate": "1996-04-12",
            "gender": "female",
            "birthplace": "75056",
            "birthcountry": "99100",
            "email": "camille.bernard@example.org",
            "preferred_username": "",
        },
    ),
    Identity(
        key="patient",
        profile="fc",
        label="Louis Patient, patient",
        given_name="Louis",
        family_name="PATIENT",
        claims={
            "birthdate": "1958-11-02",
            "gender": "male",
            "birthplace": "69123",
            "birthcountry": "99100",
            "email": "louis.patient@example.org",
            "preferred_username": "",
        },
    ),
)


def identities_for(profile: str) -> list[Identity]:
    return [identity for identity in IDENTITIES if identity.profile == profile]


def identity(key: str) -> Identity:
    for candidate in IDENTITIES:
        if candidate.key == key:
            return candidate
    raise KeyError(key)
