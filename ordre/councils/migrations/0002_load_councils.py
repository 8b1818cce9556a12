"""Load the councils from the reference data copied into the repository.

`ordre/councils/data/departements.csv` is a copy of `shared/data/departements.csv`
(INSEE COG 2024, see its README): the rows with `has_council=true` are the 101
departmental councils. Added: the national council (CN) and Saint-Pierre-et-Miquelon
(975, no council: the State decides). Contact details are generated placeholders
for demonstration (`cd75@ordre.local`), to be replaced in the admin.

Self-contained on purpose: a migration must not depend on app code that may change.
"""

import csv
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "departements.csv"
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


def load(apps, schema_editor):
    Council = apps.get_model("councils", "Council")
    for row in rows():
        code = row.pop("code")
        Council.objects.update_or_create(code=code, defaults=row)


def unload(apps, schema_editor):
    apps.get_model("councils", "Council").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
