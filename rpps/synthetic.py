"""Synthetic national directory extract lines (no real person): tests, bench, demo."""

import csv
import io
import random
from collections.abc import Iterator

from rpps.identifiers import luhn_check_digit
from rpps.layout import PERSONNE_ACTIVITE_COLUMNS

_LAST = ("MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND")
_FIRST = ("Jean", "Marie", "Léa", "Hélène", "Noël", "Zoé", "Anaïs", "Jérôme")
_SPECIALTIES = ("SM26", "SM53", "SM54", "SM04", "SM02", "SM37")


def rpps_number(index: int, *, luhn: bool = True) -> str:
    payload = f"10{index:08d}"
    digit = int(luhn_check_digit(payload))
    return payload + str(digit if luhn else (digit + 1) % 10)


def record(index: int, *, rng: random.Random | None = None, luhn: bool = True) -> dict[str, str]:
    """One activity line as {column name: value}, deterministic for a given index."""
    rng = rng or random.Random(index)  # noqa: S311 - synthetic data
    rpps = rpps_number(index, luhn=luhn)
    dept = f"{rng.randint(1, 95):02d}"
    return {
        "Type d'identifiant PP": "8",
        "Identifiant PP": rpps,
        "Identification nationale PP": "8" + rpps,
        "Code civilité d'exercice": "DR",
        "Libellé civilité d'exercice": "Docteur",
        "Nom d'exercice": rng.choice(_LAST),
        "Prénom d'exercice": rng.choice(_FIRST),
        "Code profession": "10",
        "Libellé profession": "Médecin",
        "Code catégorie professionnelle": "C",
        "Libellé catégorie professionnelle": "Civil",
        "Code type savoir-faire": "S",
        "Libellé type savoir-faire": "Spécialité ordinale",
        "Code savoir-faire": rng.choice(_SPECIALTIES),
        "Code mode exercice": rng.choice("LS"),
        "Numéro SIRET site": f"{rng.randrange(10**13, 10**14)}",
        "Identifiant technique de la structure": f"R1{index:08d}",
        "Raison sociale site": f"CABINET {index}",
        "Numéro Voie (coord. structure)": str(rng.randint(1, 200)),
        "Libellé Voie (coord. structure)": "de la République",
        "Code postal (coord. structure)": f"{dept}000",
        "Libellé commune (coord. structure)": "VILLE",
        "Téléphone (coord. structure)": f"01{rng.randrange(10**7, 10**8)}",
        "Adresse e-mail (coord. structure)": f"cabinet{index}@example.org",
        "Code Département (structure)": dept,
    }


def pipe_line(values: dict[str, str], columns=PERSONNE_ACTIVITE_COLUMNS) -> str:
    """A `|` line: every column in order, then the empty trailing column."""
    return "|".join(values.get(c, "") for c in columns) + "|"


def pipe_header(columns=PERSONNE_ACTIVITE_COLUMNS) -> str:
    return "|".join(columns) + "|"


def semicolon_line(values: dict[str, str], columns) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="").writerow(
        [values.get(c, "") for c in columns]
    )
    return out.getvalue() + ";"


def pipe_lines(count: int, *, start: int = 1) -> Iterator[str]:
    for index in range(start, start + count):
        yield pipe_line(record(index))
