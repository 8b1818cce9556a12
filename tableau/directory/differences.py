"""Differences between the register and the national directory (the last RPPS import),
listed for clerks rather than silently overwriting the register.

Compared by RPPS, for the doctors of the given councils: the public name (last and first
name of practice), ordinal specialties (TRE_R38), modes of practice (TRE_R23), and the
status (a doctor listed on one side only). Our side is the public directory read model
(`DirectoryEntry`: public fields, refreshed with every register change); the national
side comes through the rpps selectors, as plain data.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from rpps import selectors as rpps_selectors
from rpps.nomenclature import DOCTOR_PROFESSION_CODE
from tableau.directory.models import DirectoryEntry
from tableau.enums import DoctorStatus

DEFAULT_LIMIT = 200
CHUNK = 1000

LAST_NAME = "last_name"
FIRST_NAME = "first_name"
SPECIALTIES = "specialties"
MODES = "modes"
STATUS = "status"

FIELD_LABELS = {
    LAST_NAME: _("Nom d’exercice"),
    FIRST_NAME: _("Prénom d’exercice"),
    SPECIALTIES: _("Spécialités"),
    MODES: _("Modes d’exercice"),
    STATUS: _("Présence dans l’annuaire national"),
}
LISTED = _("inscrit")
UNLISTED = _("non inscrit (%(status)s)")
ABSENT = _("absent")
PRESENT = _("présent")
OUTDATED = _("absent du dernier import")


@dataclass(frozen=True)
class Difference:
    field: str
    ours: str
    theirs: str

    @property
    def label(self) -> str:
        return str(FIELD_LABELS[self.field])


@dataclass(frozen=True)
class DoctorDifferences:
    doctor_id: int
    rpps: str
    council: str
    name: str
    differences: list[Difference] = field(default_factory=list)


@dataclass(frozen=True)
class DifferencesReport:
    import_done: bool  # False before any successful import: nothing to compare with
    items: list[DoctorDifferences]
    truncated: bool  # more doctors differ than `limit`


def _norm(value: str) -> str:
    return " ".join((value or "").split()).casefold()


def _codes(values) -> str:
    return ", ".join(sorted(values)) or "—"


def _compare(entry: dict, records, last_import_at) -> list[Difference]:
    listed = entry["listed"]
    status = entry["status"]
    status_label = DoctorStatus(status).label if status in DoctorStatus.values else status
    ours_status = str(LISTED) if listed else str(UNLISTED) % {"status": status_label}
    doctor_records = [r for r in records if r.profession_code == DOCTOR_PROFESSION_CODE]
    current = [r for r in doctor_records if r.last_seen >= last_import_at]
    if not current:
        if not listed:
            return []  # unlisted on both sides: nothing to reconcile
        theirs = str(OUTDATED) if doctor_records else str(ABSENT)
        return [Difference(STATUS, ours_status, theirs)]
    diffs = []
    if not listed:
        diffs.append(Difference(STATUS, ours_status, str(PRESENT)))
    main = current[0]  # the rpps selectors put the main activity first
    for name, ours, theirs in (
        (LAST_NAME, entry["last_name"], main.last_name),
        (FIRST_NAME, entry["first_name"], main.first_name),
    ):
        if _norm(ours) != _norm(theirs):
            diffs.append(Difference(name, ours, theirs))
    specialties = {r.savoir_faire_code for r in current if r.savoir_faire_type == "S"}
    specialties.discard("")
    if set(entry["specialties"]) != specialties:
        diffs.append(Difference(SPECIALTIES, _codes(entry["specialties"]), _codes(specialties)))
    modes = {r.practice_mode_code for r in current} - {""}
    if set(entry["modes"]) != modes:
        diffs.append(Difference(MODES, _codes(entry["modes"]), _codes(modes)))
    return diffs


def register_differences(
    *, council_codes: list[str] | None = None, limit: int = DEFAULT_LIMIT
) -> DifferencesReport:
    """Doctors of `council_codes` (every council when None) whose register entry differs
    from the last national import, in RPPS order, at most `limit` of them.

    Queries: one for the last import, then two per chunk of CHUNK doctors.
    """
    run = rpps_selectors.last_successful_import()
    if run is None:
        return DifferencesReport(import_done=False, items=[], truncated=False)
    entries = DirectoryEntry.objects.order_by("rpps")
    if council_codes is not None:
        entries = entries.filter(council__in=list(council_codes))
    fields = ("doctor_id", "rpps", "council", "last_name", "first_name", "status", "listed")
    fields += ("specialties", "modes")
    items: list[DoctorDifferences] = []
    after = ""
    while True:
        chunk = list(entries.filter(rpps__gt=after).values(*fields)[:CHUNK])
        if not chunk:
            return DifferencesReport(import_done=True, items=items, truncated=False)
        national = rpps_selectors.entries_for_rpps_list(e["rpps"] for e in chunk)
        for entry in chunk:
            diffs = _compare(entry, national.get(entry["rpps"], []), run.started_at)
            if not diffs:
                continue
            if len(items) == limit:
                return DifferencesReport(import_done=True, items=items, truncated=True)
            items.append(
                DoctorDifferences(
                    doctor_id=entry["doctor_id"],
                    rpps=entry["rpps"],
                    council=entry["council"],
                    name=f"{entry['first_name']} {entry['last_name']}",
                    differences=diffs,
                )
            )
        if len(chunk) < CHUNK:
            return DifferencesReport(import_done=True, items=items, truncated=False)
        after = chunk[-1]["rpps"]
