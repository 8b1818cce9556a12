"""Writes of the directory read model. Only public fields enter it."""

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Value
from django.utils import timezone

from tableau.directory.models import DirectoryEntry
from tableau.enums import DoctorStatus
from tableau.normalise import department_of, normalise

#: Struck-off and deceased doctors leave the public directory.
UNLISTED_STATUSES = frozenset({DoctorStatus.STRUCK_OFF, DoctorStatus.DECEASED})


def _entry_fields(payload: dict) -> dict:
    places = [
        {k: p.get(k, "") for k in ("mode", "name", "address", "postal_code", "city", "primary")}
        for p in payload.get("places", [])
    ]
    last, first = payload.get("last_name", ""), payload.get("first_name", "")
    return {
        "rpps": payload["rpps"],
        "last_name": last,
        "first_name": first,
        "sort_name": normalise(f"{last} {first}"),
        "status": payload.get("status", ""),
        "listed": payload.get("status") not in UNLISTED_STATUSES,
        "council": payload.get("council", ""),
        "specialties": sorted(set(payload.get("qualifications", []))),
        "modes": sorted({p["mode"] for p in places if p.get("mode")}),
        "departments": sorted(
            {d for p in places if (d := department_of(p.get("postal_code", "")))}
        ),
        "cities": sorted({normalise(p.get("city", "")) for p in places if p.get("city")}),
        "places": places,
        "updated_at": timezone.now(),
    }


@transaction.atomic
def directory_refresh_from_payload(*, doctor_id: int, payload: dict) -> DirectoryEntry:
    """Upsert the doctor's entry from the public payload of a register change."""
    fields = _entry_fields(payload)
    entry, _ = DirectoryEntry.objects.update_or_create(doctor_id=doctor_id, defaults=fields)
    DirectoryEntry.objects.filter(pk=doctor_id).update(
        search=SearchVector(Value(fields["sort_name"]), config="simple")
    )
    return entry


def directory_rebuild_search_vectors() -> int:
    """Recompute every search vector in one statement (after a bulk load)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tableau_directory_directoryentry SET search = to_tsvector('simple', sort_name)"
        )
        return cursor.rowcount
