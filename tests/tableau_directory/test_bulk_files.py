import csv
import datetime as dt
import gzip
import io
import time

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from ordre.audit.actors import SystemActor
from tableau.directory.bulk import generate_daily_files
from tableau.directory.models import BulkFile
from tableau.directory.tasks import generate_bulk_files
from tableau.enums import DoctorStatus
from tableau.services import doctor_change_status


def _rows(bulk: BulkFile) -> list[dict]:
    with default_storage.open(bulk.storage_name, "rb") as f:
        text = gzip.decompress(f.read()).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


@pytest.mark.django_db
def test_full_and_delta_files_make_departures_explicit(register_doctor, client):
    kept = register_doctor(last_name="Durand")
    leaving = register_doctor(last_name="Petit")
    day1 = timezone.localdate()
    full1, delta1 = generate_daily_files(day=day1)
    assert {r["rpps"] for r in _rows(full1)} == {kept.rpps, leaving.rpps}
    assert generate_daily_files(day=day1) == []  # idempotent

    newcomer = register_doctor(last_name="Nouveau")
    with transaction.atomic():
        doctor_change_status(
            actor=SystemActor("test"), doctor=leaving, status=DoctorStatus.STRUCK_OFF
        )
    full2, delta2 = generate_daily_files(day=day1 + dt.timedelta(days=1))
    assert delta2.since == delta1.until
    assert {(r["rpps"], r["action"]) for r in _rows(delta2)} == {
        (newcomer.rpps, "upsert"),
        (leaving.rpps, "deactivate"),
    }
    assert {r["rpps"] for r in _rows(full2)} == {kept.rpps, newcomer.rpps}
    assert "1980" not in str(_rows(full2))  # no birth date: public fields only

    listing = client.get("/annuaire/fichiers/")
    assert listing.status_code == 200 and full2.filename in listing.content.decode()
    download = client.get(f"/annuaire/fichiers/{full2.pk}/telecharger/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert gzip.decompress(b"".join(download.streaming_content)).startswith(b"action;rpps;")


@pytest.mark.django_db(transaction=True)
def test_daily_files_through_the_worker(live_worker, register_doctor):
    register_doctor(last_name="Worker")
    generate_bulk_files.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and BulkFile.objects.count() < 2:
        time.sleep(0.2)
    assert sorted(BulkFile.objects.values_list("kind", "rows")) == [("delta", 1), ("full", 1)]
