"""Code labels from the official NOS nomenclature files (copied into `rpps/data/`).

Never write label lists by hand: add the NOS CSV here and register it in `TABLES`.
The CSV files come from `../shared/data` (see its README for their sources).
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

NOS_BASE = "https://mos.esante.gouv.fr/NOS"


@dataclass(frozen=True)
class Table:
    key: str
    file: str
    system: str  # FHIR CodeSystem URL


def _nos(name: str) -> str:
    # "TRE_R38-SpecialiteOrdinale" -> ".../NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale"
    return f"{NOS_BASE}/{name}/FHIR/{name.replace('_', '-', 1)}"


PROFESSION = "profession"
SPECIALTY = "specialite_ordinale"
PRACTICE_MODE = "mode_exercice"
SAVOIR_FAIRE_TYPE = "type_savoir_faire"
CATEGORY = "categorie_professionnelle"
CIVILITY = "civilite_exercice"

TABLES: dict[str, Table] = {
    t.key: t
    for t in (
        Table(PROFESSION, "tre_g15_profession_sante.csv", _nos("TRE_G15-ProfessionSante")),
        Table(SPECIALTY, "tre_r38_specialite_ordinale.csv", _nos("TRE_R38-SpecialiteOrdinale")),
        Table(PRACTICE_MODE, "tre_r23_mode_exercice.csv", _nos("TRE_R23-ModeExercice")),
        Table(SAVOIR_FAIRE_TYPE, "tre_r04_type_savoir_faire.csv", _nos("TRE_R04-TypeSavoirFaire")),
        Table(
            CATEGORY,
            "tre_r09_categorie_professionnelle.csv",
            _nos("TRE_R09-CategorieProfessionnelle"),
        ),
        Table(CIVILITY, "tre_r11_civilite_exercice.csv", _nos("TRE_R11-CiviliteExercice")),
    )
}

# Savoir-faire code tables by savoir-faire type (TRE_R04). Only the ones we ship.
SAVOIR_FAIRE_TABLE_BY_TYPE = {"S": SPECIALTY}

DOCTOR_PROFESSION_CODE = "10"


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    short_label: str
    status: str
    end_date: str


@cache
def codes(key: str) -> dict[str, Code]:
    """Every code of one table, by code (deprecated ones included, see `status`)."""
    table = TABLES[key]
    with (DATA_DIR / table.file).open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Code(
                code=row["code"],
                label=row["label"],
                short_label=row.get("short_label", ""),
                status=row.get("status", ""),
                end_date=row.get("end_date", ""),
            )
            for row in csv.DictReader(handle)
        }


def label(key: str, code: str | None) -> str | None:
    """The French label of `code` in table `key`, or None when unknown or empty."""
    if not code:
        return None
    found = codes(key).get(code)
    return found.label if found else None


def system(key: str) -> str:
    return TABLES[key].system


def savoir_faire_table(savoir_faire_type: str | None) -> str | None:
    """The table holding the savoir-faire codes of a TRE_R04 type (None if not shipped)."""
    return SAVOIR_FAIRE_TABLE_BY_TYPE.get(savoir_faire_type or "")


def savoir_faire_label(savoir_faire_type: str | None, code: str | None) -> str | None:
    key = savoir_faire_table(savoir_faire_type)
    return label(key, code) if key else None
