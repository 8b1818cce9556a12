"""Reads of the rpps app, returned as plain data (other apps never see our models).

The register (`tableau`) sits above rpps: it calls these to match its doctors with the
national directory by RPPS and list the differences for clerks. rpps never imports it.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from rpps import nomenclature
from rpps.models import DirectoryEntry, ImportRun

# The fields of a directory entry that can be compared with the register.
COMPARABLE_FIELDS = (
    "last_name",
    "first_name",
    "civility_code",
    "profession_code",
    "category_code",
    "savoir_faire_type",
    "savoir_faire_code",
    "practice_mode_code",
    "siret",
    "finess_site",
    "company_name",
    "postal_code",
    "commune_name",
    "department_code",
    "phone",
    "email",
)


@dataclass(frozen=True)
class DirectoryRecord:
    """One activity of a professional in the national directory, as last imported."""

    rpps: str
    national_id: str
    luhn_valid: bool
    last_name: str
    first_name: str
    civility_code: str
    profession_code: str
    category_code: str
    savoir_faire_type: str
    savoir_faire_code: str
    practice_mode_code: str
    siret: str
    siren: str
    finess_site: str
    finess_legal: str
    structure_id: str
    company_name: str
    trade_name: str
    street_number: str
    street_repetition: str
    street_type_code: str
    street_name: str
    postal_code: str
    commune_code: str
    commune_name: str
    department_code: str
    phone: str
    email: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    last_changed: dt.datetime

    @property
    def profession_label(self) -> str | None:
        return nomenclature.label(nomenclature.PROFESSION, self.profession_code)

    @property
    def savoir_faire_label(self) -> str | None:
        return nomenclature.savoir_faire_label(self.savoir_faire_type, self.savoir_faire_code)

    @property
    def practice_mode_label(self) -> str | None:
        return nomenclature.label(nomenclature.PRACTICE_MODE, self.practice_mode_code)

    def as_dict(self) -> dict:
        return asdict(self)


_FIELDS = tuple(DirectoryRecord.__dataclass_fields__)


def _record(entry: dict) -> DirectoryRecord:
    return DirectoryRecord(**{name: entry[name] for name in _FIELDS})


def _primary_first(records: list[DirectoryRecord]) -> list[DirectoryRecord]:
    # Doctors first, then ordinal specialties (type S), then a stable order.
    return sorted(
        records,
        key=lambda r: (
            r.profession_code != nomenclature.DOCTOR_PROFESSION_CODE,
            r.savoir_faire_type != "S",
            r.savoir_faire_code,
            r.structure_id,
        ),
    )


def directory_entries_for_rpps(rpps: str) -> list[DirectoryRecord]:
    """Every activity of one professional, the main one first (one query)."""
    rows = DirectoryEntry.objects.filter(rpps=rpps).values(*_FIELDS)
    return _primary_first([_record(row) for row in rows])


def directory_entry_for_rpps(rpps: str) -> DirectoryRecord | None:
    """The main activity of one professional (doctor, ordinal specialty first), or None."""
    entries = directory_entries_for_rpps(rpps)
    return entries[0] if entries else None


def entries_for_rpps_list(rpps_list: Iterable[str]) -> dict[str, list[DirectoryRecord]]:
    """Activities of many professionals in ONE query: {rpps: [records, main first]}.

    RPPS numbers absent from the directory are absent from the result.
    """
    wanted = sorted(set(rpps_list))
    found: dict[str, list[DirectoryRecord]] = {}
    if not wanted:
        return found
    for row in DirectoryEntry.objects.filter(rpps__in=wanted).values(*_FIELDS):
        found.setdefault(row["rpps"], []).append(_record(row))
    return {rpps: _primary_first(records) for rpps, records in found.items()}


def differences(*, register: dict[str, str], record: DirectoryRecord) -> dict[str, tuple[str, str]]:
    """{field: (register value, directory value)} for the comparable fields the register
    gives (keys of `register` among COMPARABLE_FIELDS) and that differ, ignoring case and
    surrounding spaces."""
    diff = {}
    for name in COMPARABLE_FIELDS:
        if name not in register:
            continue
        ours = (register[name] or "").strip()
        theirs = (getattr(record, name) or "").strip()
        if ours.casefold() != theirs.casefold():
            diff[name] = (ours, theirs)
    return diff


def last_successful_import() -> ImportRun | None:
    return (
        ImportRun.objects.filter(status=ImportRun.Status.SUCCEEDED).order_by("-started_at").first()
    )


def is_in_last_import(record: DirectoryRecord) -> bool:
    """False when the activity was absent from the latest successful import."""
    run = last_successful_import()
    return run is None or record.last_seen >= run.started_at
