"""Import of the national directory extract: counts, rejections, atomicity, idempotence."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ordre.audit.actors import SystemActor
from ordre.audit.models import AuditEvent
from rpps import importer
from rpps.layout import PERSONNE_ACTIVITE_COLUMNS
from rpps.models import DirectoryEntry, ImportRejection, ImportRun
from rpps.services import ImportFailed, import_ans_extract
from rpps.synthetic import pipe_header, pipe_line, record, rpps_number, semicolon_line

ACTOR = SystemActor("test:rpps")
pytestmark = pytest.mark.django_db


def write(tmp_path, lines, *, name="PS_LibreAcces_Personne_activite_test.txt", eol="\n", bom=False):
    path = tmp_path / name
    data = eol.join(lines) + eol
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    return path


def mixed_file_lines():
    """Header + 6 good lines, 4 malformed, 2 duplicates, 1 blank line, 1 bad Luhn."""
    good = [pipe_line(record(i)) for i in range(1, 7)]  # file lines 2..7
    too_few = "8|" + rpps_number(50) + "|8" + rpps_number(50) + "|DR"  # line 8
    bad_rpps = pipe_line({**record(51), "Identifiant PP": "123", "Identification nationale PP": ""})
    no_id = pipe_line({**record(52), "Identifiant PP": "", "Identification nationale PP": ""})
    adeli = pipe_line({**record(53), "Type d'identifiant PP": "0"})
    dup_same = good[0]  # line 12: exact duplicate of line 2
    dup_changed = pipe_line({**record(2), "Téléphone (coord. structure)": "0999999999"})  # line 13
    blank = ""  # line 14: ignored, still counted as a line number
    bad_luhn = pipe_line(record(60, luhn=False))  # line 15: imported, flagged
    return [
        pipe_header(),
        *good,
        too_few,
        bad_rpps,
        no_id,
        adeli,
        dup_same,
        dup_changed,
        blank,
        bad_luhn,
    ]


def test_mixed_file_exact_counts_and_rejections(tmp_path):
    run = import_ans_extract(actor=ACTOR, path=write(tmp_path, mixed_file_lines()))

    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.layout == "pipe"
    assert run.summary() == {
        "read": 13, "inserted": 7, "updated": 0, "unchanged": 0, "rejected": 6
    }  # fmt: skip
    rejections = {r.line_no: (r.reason, r.detail) for r in ImportRejection.objects.filter(run=run)}
    assert rejections == {
        8: ("columns", "4 colonnes au lieu de 53"),
        9: ("rpps_format", "RPPS « 123 » : 11 chiffres attendus"),
        10: ("missing_id", "ni identifiant PP ni identification nationale"),
        11: ("not_rpps", "type d'identifiant PP 0 (8 = RPPS)"),
        12: ("duplicate", "doublon de la ligne 2"),
        13: ("duplicate", "doublon de la ligne 3"),
    }
    assert ImportRejection.objects.get(run=run, line_no=8).excerpt.startswith("8|10")
    assert DirectoryEntry.objects.count() == 7
    flagged = DirectoryEntry.objects.get(rpps=rpps_number(60, luhn=False))
    assert flagged.luhn_valid is False
    assert DirectoryEntry.objects.filter(luhn_valid=True).count() == 6
    entry = DirectoryEntry.objects.get(rpps=rpps_number(3))
    assert entry.national_id == "8" + rpps_number(3)
    assert entry.profession_code == "10"
    assert entry.email == "cabinet3@example.org"
    assert entry.first_seen == entry.last_seen == entry.last_changed == run.started_at
    event = AuditEvent.objects.get(action="rpps.import.succeeded", target_id=str(run.pk))
    assert event.actor_label == "test:rpps"
    assert event.changes["rejected"] == [None, 6]


def test_second_import_changes_nothing_then_a_change_is_an_update(tmp_path):
    path = write(tmp_path, mixed_file_lines())
    first = import_ans_extract(actor=ACTOR, path=path)
    before = {e.entry_key: (e.content_hash, e.last_changed) for e in DirectoryEntry.objects.all()}

    second = import_ans_extract(actor=ACTOR, path=path)

    assert second.summary() == {
        "read": 13, "inserted": 0, "updated": 0, "unchanged": 7, "rejected": 6
    }  # fmt: skip
    after = {e.entry_key: (e.content_hash, e.last_changed) for e in DirectoryEntry.objects.all()}
    assert after == before
    assert set(DirectoryEntry.objects.values_list("last_seen", flat=True)) == {second.started_at}
    assert second.file_sha256 == first.file_sha256

    lines = mixed_file_lines()
    lines[3] = pipe_line({**record(3), "Nom d'exercice": "NOUVEAU"})
    third = import_ans_extract(actor=ACTOR, path=write(tmp_path, lines, name="b.txt"))
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 6)
    changed = DirectoryEntry.objects.get(rpps=rpps_number(3))
    assert changed.last_name == "NOUVEAU"
    assert changed.last_changed == third.started_at
    assert changed.first_seen == first.started_at


def test_forced_failure_leaves_nothing_half_written(tmp_path, monkeypatch):
    path = write(tmp_path, mixed_file_lines())
    import_ans_extract(actor=ACTOR, path=path)
    snapshot = sorted(DirectoryEntry.objects.values_list("entry_key", "content_hash", "last_seen"))
    lines = mixed_file_lines()
    lines[2] = pipe_line({**record(2), "Nom d'exercice": "CHANGÉ"})
    lines.append(pipe_line(record(99)))
    changed = write(tmp_path, lines, name="changed.txt")

    real_merge = importer.merge

    def merge_then_fail(cursor, *, seen_at):
        real_merge(cursor, seen_at=seen_at)  # rows written...
        raise RuntimeError("panne simulée après la fusion")  # ...then the transaction dies

    monkeypatch.setattr(importer, "merge", merge_then_fail)
    with pytest.raises(ImportFailed) as caught:
        import_ans_extract(actor=ACTOR, path=changed)

    failed = caught.value.run
    failed.refresh_from_db()
    assert failed.status == ImportRun.Status.FAILED
    assert "panne simulée" in failed.error
    assert not failed.rejections.exists()
    assert (
        sorted(DirectoryEntry.objects.values_list("entry_key", "content_hash", "last_seen"))
        == snapshot
    )
    assert AuditEvent.objects.filter(action="rpps.import.failed", target_id=str(failed.pk)).exists()


def test_semicolon_layout_with_bom_and_crlf(tmp_path):
    # The restricted-access layout: quoted values, ";" separator, trailing ";", names in a
    # different order, extra unknown columns; a value holding ";" and a doubled quote.
    columns = [
        "Identification nationale PP", "Type d'identifiant PP", "Identifiant PP",
        "Colonne inconnue", "Code civilité d'exercice", "Nom d'exercice", "Prénom d'exercice",
        "Code profession", "Code catégorie professionnelle", "Raison sociale site",
        "Code Département (structure)",
    ]  # fmt: skip
    header = ";".join(f'"{c}"' for c in columns) + ";"
    one = {**record(1), "Raison sociale site": 'SELARL "LES; PINS"'}
    two = record(2)
    bad = {**record(3), "Identification nationale PP": "8" + rpps_number(4)}
    lines = [header, *(semicolon_line(v, columns) for v in (one, two, bad))]
    path = write(
        tmp_path, lines, name="Extraction_RPPS_Profil4_ExercPro_test.csv", eol="\r\n", bom=True
    )

    run = import_ans_extract(actor=ACTOR, path=path)

    assert run.layout == "semicolon"
    assert run.summary() == {
        "read": 3, "inserted": 2, "updated": 0, "unchanged": 0, "rejected": 1
    }  # fmt: skip
    rejection = run.rejections.get()
    assert (rejection.line_no, rejection.reason) == (4, "national_id")
    entry = DirectoryEntry.objects.get(rpps=rpps_number(1))
    assert entry.company_name == 'SELARL "LES; PINS"'
    assert entry.first_name == record(1)["Prénom d'exercice"]  # accents intact, no CR
    assert entry.department_code == record(1)["Code Département (structure)"]
    assert entry.siret == ""  # column absent from this layout


def test_pipe_layout_lf_without_trailing_newline_and_extra_column(tmp_path):
    columns = [*PERSONNE_ACTIVITE_COLUMNS, "Colonne ajoutée en 2026"]
    lines = [pipe_header(columns), pipe_line(record(1), columns), pipe_line(record(2), columns)]
    path = tmp_path / "PS_LibreAcces_Personne_activite_202612.txt"
    path.write_bytes("\n".join(lines).encode())  # no final newline

    run = import_ans_extract(actor=ACTOR, path=path)

    assert (run.lines_read, run.inserted, run.rejected) == (2, 2, 0)


def test_not_an_extract_fails_cleanly(tmp_path):
    path = write(tmp_path, ["nom,prenom", "a,b"], name="x.csv")
    with pytest.raises(ImportFailed, match=re.escape("ni « | » ni « ; »")):
        import_ans_extract(actor=ACTOR, path=path)
    assert DirectoryEntry.objects.count() == 0


def test_command_prints_summary_and_rejections(tmp_path):
    out = io.StringIO()
    call_command("import_ans_extract", str(write(tmp_path, mixed_file_lines())), stdout=out)
    text = out.getvalue()
    assert "13 lues, 7 ajoutées, 0 modifiées, 0 inchangées, 6 rejetées" in text
    assert "ligne 12 : doublon (doublon de la ligne 2)" in text
    assert "\r[" not in text  # no progress bar when stdout is not a terminal
    event = AuditEvent.objects.get(action="rpps.import.succeeded")
    assert event.actor_label == "command:import_ans_extract"
    assert event.command == "import_ans_extract"


def test_command_missing_file():
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_ans_extract", "/nonexistent/file.txt")


def test_staging_tables_are_gone_after_import(tmp_path):
    import_ans_extract(actor=ACTOR, path=write(tmp_path, mixed_file_lines()))
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s), to_regclass(%s)", [importer.STAGE, importer.ROWS])
        assert cursor.fetchone() == (None, None)


def test_progress_bar_is_byte_based():
    from rpps.management.commands.import_ans_extract import ProgressBar

    out = io.StringIO()
    bar = ProgressBar(out, total=200, width=10)
    bar(100)
    bar.last_draw = 0  # force a redraw
    bar(100)
    bar.finish()
    text = out.getvalue()
    assert "\r[#####.....]  50.0%" in text
    assert "\r[##########] 100.0%" in text
    assert text.count("contrôle et fusion") == 1
    assert text.endswith("\n")


def _index_definitions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'rpps_directoryentry' ORDER BY indexname"
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'rpps_directoryentry'::regclass ORDER BY conname"
        )
        return indexes, cursor.fetchall()


def test_first_import_rebuilds_exactly_the_migrated_indexes(tmp_path):
    before = _index_definitions()
    assert DirectoryEntry.objects.count() == 0
    import_ans_extract(actor=ACTOR, path=write(tmp_path, mixed_file_lines()))
    assert _index_definitions() == before
    names = [name for name, _ in before[0]]
    assert "rpps_entry_key_unique" in names and "rpps_entry_rpps" in names


def test_failed_first_import_leaves_table_and_indexes_intact(tmp_path, monkeypatch):
    before = _index_definitions()
    real_merge = importer.merge

    def merge_then_fail(cursor, *, seen_at):
        real_merge(cursor, seen_at=seen_at)
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(importer, "merge", merge_then_fail)
    with pytest.raises(ImportFailed):
        import_ans_extract(actor=ACTOR, path=write(tmp_path, mixed_file_lines()))
    assert DirectoryEntry.objects.count() == 0
    assert _index_definitions() == before


def test_semicolon_layout_malformed_quotes_and_bytes(tmp_path):
    columns = ["Type d'identifiant PP", "Identifiant PP", "Nom d'exercice", "Prénom d'exercice"]
    header = ";".join(f'"{c}"' for c in columns) + ";"
    lines = [
        header,
        f'"8";"{rpps_number(1)}";"DURAND";"Zoé";',  # 2: good
        f'"8";"{rpps_number(2)}";"DUR"AND;"x;',  # 3: unbalanced quotes
        f'"8";"{rpps_number(3)}";AB"C;D"E;"Léa";',  # 4: quotes inside unquoted fields
        f'"8";"{rpps_number(4)}";"MARTIN";"Noël";',  # 5: not UTF-8 (replaced below)
        f'"8";"{rpps_number(5)}";AB"C"D;"Léa";',  # 6: kept, read as Python reads it
    ]
    path = tmp_path / "Extraction_RPPS_Profil4_Personne_test.csv"
    data = ("\n".join(lines) + "\n").encode("utf-8").replace("Noël".encode(), b"No\xebl")
    path.write_bytes(data)

    run = import_ans_extract(actor=ACTOR, path=path)

    reasons = {r.line_no: r.reason for r in run.rejections.all()}
    assert reasons == {3: "quotes", 4: "columns", 5: "encoding"}
    assert (run.lines_read, run.inserted) == (5, 2)
    assert DirectoryEntry.objects.get(rpps=rpps_number(1)).first_name == "Zoé"
    assert DirectoryEntry.objects.get(rpps=rpps_number(5)).last_name == 'AB"C"D'
