"""FHIR R4 Practitioner / PractitionerRole structure, and the `|` extract writer."""

import datetime as dt
import io
import json

import pytest

from ordre.audit.actors import SystemActor
from rpps.extract import extract_lines, header_line, write_extract
from rpps.fhir import (
    FR_CORE_PRACTITIONER,
    PractitionerData,
    PractitionerRoleData,
    Qualification,
    practitioner_resource,
    practitioner_role_resource,
)
from rpps.identifiers import IDENTIFIER_TYPE_SYSTEM, IDNPS_SYSTEM, RPPS_SYSTEM
from rpps.layout import PERSONNE_ACTIVITE_COLUMNS
from rpps.models import DirectoryEntry
from rpps.services import import_ans_extract
from rpps.synthetic import rpps_number

R38 = "https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale"
G15 = "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante"
R23 = "https://mos.esante.gouv.fr/NOS/TRE_R23-ModeExercice/FHIR/TRE-R23-ModeExercice"

RPPS = rpps_number(7)
DOCTOR = PractitionerData(
    rpps=RPPS,
    family="DUPONT",
    given=("Jean-Marc", "Louis"),
    civility_code="DR",
    gender="male",
    qualifications=(Qualification("SM54"), Qualification("XX99", type_code="C")),
    last_updated=dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.UTC),
)
ROLE = PractitionerRoleData(
    id="role-1",
    rpps=RPPS,
    practice_mode_code="L",
    specialties=(Qualification("SM54"),),
    organization_name="CABINET | DUPONT",
    siret="12345678900012",
    street_number="3",
    street_name="rue de la Paix",
    postal_code="75002",
    commune_name="PARIS",
    department_code="75",
    phone="0102030405",
    email="cabinet@example.org",
)


def test_practitioner_identifiers_name_and_qualifications():
    resource = practitioner_resource(DOCTOR)
    json.dumps(resource)  # JSON-ready

    assert resource["resourceType"] == "Practitioner"
    assert resource["id"] == RPPS
    assert resource["meta"] == {
        "profile": [FR_CORE_PRACTITIONER],
        "lastUpdated": "2026-12-01T10:30:00Z",
    }
    assert resource["identifier"] == [
        {
            "use": "official",
            "type": {"coding": [{"system": IDENTIFIER_TYPE_SYSTEM, "code": "IDNPS"}]},
            "system": IDNPS_SYSTEM,
            "value": "8" + RPPS,
        },
        {
            "use": "official",
            "type": {"coding": [{"system": IDENTIFIER_TYPE_SYSTEM, "code": "RPPS"}]},
            "system": RPPS_SYSTEM,
            "value": RPPS,
        },
    ]
    assert resource["name"] == [
        {"use": "usual", "family": "DUPONT", "given": ["Jean-Marc", "Louis"], "prefix": ["DR"]}
    ]
    assert resource["gender"] == "male"
    profession, specialty = resource["qualification"]  # the C code has no shipped table
    assert profession["code"]["coding"][0] == {"system": G15, "code": "10", "display": "Médecin"}
    assert specialty == {
        "code": {"coding": [{"system": R38, "code": "SM54", "display": "Médecine générale (SM)"}]}
    }


def test_practitioner_role_structure():
    resource = practitioner_role_resource(ROLE)
    json.dumps(resource)

    assert resource["resourceType"] == "PractitionerRole"
    assert resource["practitioner"]["reference"] == f"Practitioner/{RPPS}"
    assert resource["practitioner"]["identifier"]["value"] == "8" + RPPS
    assert {"system": R23, "code": "L", "display": "Libéral, indépendant, artisan, commerçant"} in [
        c["coding"][0] for c in resource["code"]
    ]
    assert resource["specialty"][0]["coding"][0]["code"] == "SM54"
    assert resource["organization"]["display"] == "CABINET | DUPONT"
    assert resource["organization"]["identifier"]["value"] == "312345678900012"
    assert {"system": "email", "value": "cabinet@example.org"} in resource["telecom"]


def test_invalid_rpps_is_refused():
    with pytest.raises(ValueError):
        practitioner_resource(PractitionerData(rpps="123", family="X"))


def test_extract_lines_layout():
    lines = list(extract_lines([(DOCTOR, [ROLE]), (DOCTOR, [])]))
    # One line for the role (its one specialty), two for the role-less doctor (SM54, C XX99).
    assert len(lines) == 3
    for line in lines:
        assert line.endswith("|")
        assert line.count("|") == len(PERSONNE_ACTIVITE_COLUMNS)
    fields = dict(zip(PERSONNE_ACTIVITE_COLUMNS, lines[0].split("|"), strict=False))
    assert fields["Identifiant PP"] == RPPS
    assert fields["Identification nationale PP"] == "8" + RPPS
    assert fields["Prénom d'exercice"] == "Jean-Marc"
    assert fields["Libellé profession"] == "Médecin"
    assert fields["Code savoir-faire"] == "SM54"
    assert fields["Raison sociale site"] == "CABINET   DUPONT"  # "|" never leaks into a value
    assert fields["Numéro SIREN site"] == "123456789"
    assert header_line().count("|") == len(PERSONNE_ACTIVITE_COLUMNS)


@pytest.mark.django_db
def test_extract_reimports_through_the_importer(tmp_path):
    path = tmp_path / "PS_LibreAcces_Personne_activite_export.txt"
    with path.open("w", encoding="utf-8", newline="\n") as out:
        assert write_extract(out, [(DOCTOR, [ROLE])]) == 1

    run = import_ans_extract(actor=SystemActor("test:rpps"), path=path)

    assert (run.inserted, run.rejected) == (1, 0)
    entry = DirectoryEntry.objects.get(rpps=RPPS)
    assert (entry.last_name, entry.first_name, entry.savoir_faire_code) == (
        "DUPONT",
        "Jean-Marc",
        "SM54",
    )
    assert (entry.practice_mode_code, entry.siret, entry.email) == (
        "L",
        "12345678900012",
        "cabinet@example.org",
    )
    assert entry.luhn_valid


def test_write_extract_to_string():
    out = io.StringIO()
    write_extract(out, [])
    assert out.getvalue() == header_line() + "\n"
