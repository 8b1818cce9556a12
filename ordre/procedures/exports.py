"""CSV and XLSX exports of a clerk's filtered queue (no personal data beyond the list's)."""

import csv
import io

from django.utils import timezone
from openpyxl import Workbook

HEADERS = [
    "Dossier",
    "Démarche",
    "Conseil",
    "État",
    "Demandeur",
    "Déposé le",
    "Déclaré complet le",
    "Date limite",
    "Instructeur",
]


def _local(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def rows(dossiers):
    for d in dossiers.iterator(chunk_size=2000):
        yield [
            d.reference,
            d.kind_label,
            d.council_id,
            str(d.get_state_display()),
            d.applicant.get_full_name() or d.applicant.get_username(),
            _local(d.submitted_at),
            _local(d.completed_at),
            _local(d.deadline),
            d.assigned_clerk.get_username() if d.assigned_clerk_id else "",
        ]


def to_csv(dossiers) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    writer.writerows(rows(dossiers))
    # BOM: spreadsheet software then reads the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(dossiers) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dossiers")
    sheet.append(HEADERS)
    for row in rows(dossiers):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
