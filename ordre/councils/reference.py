"""The reference rows of the councils, from `data/departements.csv`.

Used by migration `0002_load_councils` and by `demo.load()` / test fixtures that
must restore the rows after a database flush. It works on any model class with
the fields of `Council` (the migration passes its historical model), so keep it
backward compatible: a change here changes what an old migration does.

The rows with `has_council=true` are the 101 departmental councils. Added: the
national council (CN) and Saint-Pierre-et-Miquelon (975, no council: the State
decides). Contact details are generated placeholders for demonstration
(`cd75@ordre.local`), to be replaced in the admin.
"""

import csv
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent / "data" / "departements.csv"
NO_COUNCIL_CODES = {"975"}


def _phone(code: str) -> str:
    digits = code.replace("2A", "201").replace("2B", "202").zfill(3)
    return f"01 00 00 0{digits[0]} {digits[1:]}"


def rows():
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"]
            if row["has_council"] == "true":
                yield {
                    "code": code,
                    "kind": "departmental",
                    "name": f"Conseil départemental de l'ordre des médecins ({row['name']})",
                    "department_code": code,
                    "region_code": row["region_code"],
                    "region_name": row["region_name"],
                    "email": f"cd{code.lower()}@ordre.local",
                    "phone": _phone(code),
                    "address": f"1 rue de l'Exemple (adresse fictive)\n{row['name']}",
                }
            elif code in NO_COUNCIL_CODES:
                yield {
                    "code": code,
                    "kind": "none",
                    "name": f"{row['name']} (sans conseil de l'ordre, décision de l'État)",
                    "department_code": code,
                    "region_code": "",
                    "region_name": "",
                    "email": "",
                    "phone": "",
                    "address": "",
                }
    yield {
        "code": "CN",
        "kind": "national",
        "name": "Conseil national de l'ordre des médecins",
        "department_code": "",
        "region_code": "",
        "region_name": "",
        "email": "cnom@ordre.local",
        "phone": "01 00 00 00 00",
        "address": "1 boulevard de l'Exemple (adresse fictive)\nParis",
    }


EXPECTED_COUNT = 103  # 101 departmental + CN + 975


def load_councils(model) -> int:
    """Create the missing reference rows (existing rows, maybe edited, are kept)."""
    existing = set(model.objects.values_list("code", flat=True))
    missing = [model(**row) for row in rows() if row["code"] not in existing]
    model.objects.bulk_create(missing)
    return len(missing)
