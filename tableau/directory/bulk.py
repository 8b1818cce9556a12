"""Daily bulk files of the public directory, as national registries publish them.

- full: every listed doctor at the cut-off time;
- delta: every entry changed since the previous cut-off, with an `action` column:
  `upsert` for a new or changed listed doctor, `deactivate` for one who left the
  directory (struck off, deceased): a departure is always explicit, never a silent drop.

CSV, `;`-separated, UTF-8, gzip-compressed; public fields only.
"""

import csv
import datetime as dt
import gzip
import hashlib
import io
import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from tableau.directory.models import BulkFile, DirectoryEntry

COLUMNS = [
    "action", "rpps", "nom", "prenom", "conseil", "statut", "specialites",
    "modes_exercice", "departements", "lieux_exercice", "mis_a_jour",
]  # fmt: skip


def _row(entry: DirectoryEntry) -> list[str]:
    places = " | ".join(
        ", ".join(
            x
            for x in (
                p.get("name"),
                p.get("address"),
                f"{p.get('postal_code', '')} {p.get('city', '')}".strip(),
            )
            if x
        )
        for p in entry.places
    )
    return [
        "upsert" if entry.listed else "deactivate",
        entry.rpps, entry.last_name, entry.first_name, entry.council, entry.status,
        ",".join(entry.specialties), ",".join(entry.modes), ",".join(entry.departments),
        places, entry.updated_at.isoformat(),
    ]  # fmt: skip


def _write(entries, kind: str, day: dt.date, since, until) -> BulkFile:
    digest = hashlib.sha256()
    rows = 0
    with tempfile.TemporaryFile() as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            text = io.TextIOWrapper(gz, encoding="utf-8", newline="")
            writer = csv.writer(text, delimiter=";", lineterminator="\n")
            writer.writerow(COLUMNS)
            for entry in entries.iterator(chunk_size=5000):
                writer.writerow(_row(entry))
                rows += 1
            text.flush()
            text.detach()
        size = raw.tell()
        raw.seek(0)
        for block in iter(lambda: raw.read(1 << 20), b""):
            digest.update(block)
        raw.seek(0)
        bulk = BulkFile(
            kind=kind,
            day=day,
            since=since,
            until=until,
            rows=rows,
            size=size,
            sha256=digest.hexdigest(),
        )
        name = default_storage.save(f"directory/{bulk.filename}", File(raw))
    bulk.storage_name = name
    return bulk


def generate_daily_files(*, day: dt.date | None = None, until=None) -> list[BulkFile]:
    """Write the full and delta files of `day` (idempotent: an existing day is kept)."""
    until = until or timezone.now()
    day = day or timezone.localdate(until)
    produced = []
    entries = DirectoryEntry.objects.defer("search").order_by("rpps")
    if not BulkFile.objects.filter(kind=BulkFile.Kind.FULL, day=day).exists():
        produced.append(
            _write(
                entries.filter(listed=True, updated_at__lte=until),
                BulkFile.Kind.FULL,
                day,
                None,
                until,
            )
        )
    if not BulkFile.objects.filter(kind=BulkFile.Kind.DELTA, day=day).exists():
        previous = (
            BulkFile.objects.filter(kind=BulkFile.Kind.DELTA, day__lt=day).order_by("-day").first()
        )
        since = previous.until if previous else None
        changed = entries.filter(updated_at__lte=until)
        if since is not None:
            changed = changed.filter(updated_at__gt=since)
        produced.append(_write(changed, BulkFile.Kind.DELTA, day, since, until))
    with transaction.atomic():
        for bulk in produced:
            bulk.save()
    return produced
