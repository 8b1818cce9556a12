"""Export of the public register in the national extract layout, and its re-import."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from ordre.audit.actors import SystemActor
from ordre.audit.models import AuditEvent
from rpps.models import DirectoryEntry as RppsEntry
from rpps.services import import_ans_extract
from tableau.enums import DoctorStatus
from tableau.services import doctor_change_status

PARIS = {
    "mode": "L",
    "name": "Cabinet | Rivoli",
    "address": "3 rue de Rivoli",
    "postal_code": "75004",
    "city": "Paris",
}
LYON = {
    "mode": "S",
    "name": 'HCL "Édouard"',
    "address": "Hôpital; bât. B",
    "postal_code": "69003",
    "city": "Lyon",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(register_doctor):
    doctors = [
        register_doctor(
            last_name="Dupont",
            first_names="Jean-Marc",
            places=[PARIS, LYON],
            qualifications=["SM54", "SM26"],
        ),
        register_doctor(last_name="Lefèvre", first_names="Éloïse", places=[PARIS]),
        register_doctor(last_name="Sans", first_names="Lieu", qualifications=["SM26"]),
        register_doctor(last_name="Radié", first_names="Paul", places=[LYON]),
    ]
    with transaction.atomic():
        doctor_change_status(
            actor=SystemActor("test"),
            doctor=doctors[3],
            status=DoctorStatus.STRUCK_OFF,
            effective_on=timezone.localdate(),
            reason="test",
        )
    return doctors


# Dupont: 2 places x 2 specialties; Lefèvre: 1 place, no specialty; Sans: no place, 1
# specialty; the struck-off doctor is not public.
EXPECTED_LINES = 4 + 1 + 1


@pytest.mark.parametrize("layout", ["pipe", "semicolon"])
def test_export_reimports_cleanly(register, tmp_path, layout, capsys):
    path = tmp_path / f"export-{layout}.txt"
    call_command("export_register_extract", str(path), layout=layout)
    assert f"{EXPECTED_LINES} lignes" in capsys.readouterr().out
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    assert len(lines) == 1 + EXPECTED_LINES + 1  # header, data, final newline
    separator = "|" if layout == "pipe" else ";"
    assert lines[0].startswith("Type d'identifiant PP|" if layout == "pipe" else '"Type')
    assert all(line.endswith(separator) for line in lines[:-1])
    text = path.read_text(encoding="utf-8")
    assert "Radié" not in text
    assert "1980" not in text  # no birth date, nor anything of the civil identity

    run = import_ans_extract(actor=SystemActor("test"), path=path)
    assert (run.lines_read, run.rejected, run.inserted) == (EXPECTED_LINES, 0, EXPECTED_LINES)
    assert RppsEntry.objects.values("rpps").distinct().count() == 3
    dupont = register[0]
    imported = RppsEntry.objects.filter(rpps=dupont.rpps)
    assert sorted(imported.values_list("savoir_faire_code", "practice_mode_code")) == [
        ("SM26", "L"),
        ("SM26", "S"),
        ("SM54", "L"),
        ("SM54", "S"),
    ]
    first = imported.filter(practice_mode_code="L").first()
    assert (first.last_name, first.first_name, first.postal_code, first.department_code) == (
        "Dupont",
        "Jean-Marc",
        "75004",
        "75",
    )
    assert first.national_id == "8" + dupont.rpps
    assert first.profession_code == "10"
    # A second import of the same file changes nothing.
    again = import_ans_extract(actor=SystemActor("test"), path=path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, EXPECTED_LINES)


def test_export_is_audited(register, tmp_path):
    call_command("export_register_extract", str(tmp_path / "x.txt"))
    event = AuditEvent.objects.filter(action="tableau.directory.extract_exported").get()
    assert event.changes["lines"] == [None, EXPECTED_LINES]
