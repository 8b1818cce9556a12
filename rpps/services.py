"""Writes of the rpps app: RPPS allocation and the import of the national directory extract."""

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction

from ordre.audit.actors import SystemActor
from ordre.audit.services import record_event
from rpps import importer
from rpps.identifiers import rpps_from_sequence
from rpps.layout import Layout, LayoutError, detect
from rpps.models import DirectoryEntry, ImportRun, RppsAllocation

SEQUENCE = "rpps_allocation_seq"
# Numbers already carried by someone in the national directory are skipped (a number
# burnt by the sequence is never handed out again either way).
MAX_SKIPS = 1000


class RppsExhausted(RuntimeError):
    """No free number could be found (sequence at its end, or too many taken numbers)."""


def _actor_label(actor) -> str:
    if actor is None:
        return "anonyme"
    if isinstance(actor, SystemActor):
        return actor.label
    return getattr(actor, "get_username", lambda: str(actor))()[:150]


@transaction.atomic
def allocate_rpps(*, actor, subject: str = "") -> str:
    """Issue a new doctor's RPPS number: "10" + 8-digit sequence value + Luhn digit.

    The number comes from a PostgreSQL sequence, so concurrent callers never get the
    same one, and a number is never reused (a rolled-back allocation burns its value).
    Every allocation is recorded (`RppsAllocation`, unique number) and audited.
    `subject` ("doctor:<id>", "dossier:<id>") says for whom, for the audit trail.
    """
    with connection.cursor() as cursor:
        for _ in range(MAX_SKIPS):
            cursor.execute("SELECT nextval(%s)", [SEQUENCE])
            value = cursor.fetchone()[0]
            if value >= 10**8:
                raise RppsExhausted("La séquence des numéros RPPS est épuisée.")
            number = rpps_from_sequence(value)
            if not DirectoryEntry.objects.filter(rpps=number).exists():
                break
        else:
            raise RppsExhausted("Aucun numéro RPPS libre trouvé.")
    allocation = RppsAllocation.objects.create(
        number=number,
        sequence_value=value,
        allocated_by=_actor_label(actor),
        subject=subject[:100],
    )
    record_event(
        actor=actor,
        action="rpps.number.allocated",
        target=allocation,
        subject=subject,
        changes={"number": [None, number]},
    )
    return number


class _Reader:
    """Wraps the file: hashes what is read and reports progress in bytes."""

    def __init__(self, raw, progress: Callable[[int], None] | None):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.progress = progress

    def readline(self) -> bytes:
        line = self.raw.readline()
        self._seen(line)
        return line

    def read(self, size: int) -> bytes:
        block = self.raw.read(size)
        self._seen(block)
        return block

    def _seen(self, data: bytes) -> None:
        self.sha256.update(data)
        if self.progress and data:
            self.progress(len(data))


class _Clock:
    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[name] = now - self.last
        self.last = now


class ImportFailed(RuntimeError):
    """The import failed as a whole; nothing was merged. `run` holds the failed ImportRun."""

    def __init__(self, message: str, run: ImportRun):
        super().__init__(message)
        self.run = run


def _read_header(reader: _Reader) -> Layout:
    raw = reader.readline()
    try:
        header = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LayoutError("L'en-tête n'est pas en UTF-8.") from exc
    if not header.strip():
        raise LayoutError("Fichier vide ou sans en-tête.")
    return detect(header)


def import_ans_extract(
    *,
    actor,
    path: str | Path,
    progress: Callable[[int], None] | None = None,
    timings: dict[str, float] | None = None,
) -> ImportRun:
    """Import one national directory extract file (both layouts) and return its run.

    The run row is written first (state "en cours"); then, in ONE transaction, the file
    is streamed into a staging table with COPY, parsed, validated and merged by SQL,
    rejections stored, the summary saved and audited. If anything fails, nothing of the
    merge remains: the run is marked failed (with the error, audited) and ImportFailed
    is raised. `timings`, when given, receives the seconds spent in each phase.
    """
    path = Path(path)
    label = _actor_label(actor)
    with transaction.atomic():
        run = ImportRun.objects.create(
            file_name=path.name[:255],
            file_size=path.stat().st_size,
            actor=label,
            started_at=dt.datetime.now(dt.UTC),
        )
    try:
        with transaction.atomic(), path.open("rb") as handle:
            reader = _Reader(handle, progress)
            layout = _read_header(reader)
            with connection.cursor() as cursor:
                clock = _Clock(timings)
                importer.lock(cursor)
                importer.tune(cursor)
                importer.create_stage_table(cursor, layout)
                screened = importer.copy_lines(cursor, reader, layout)
                try:
                    importer.store_screen_rejections(cursor, run.pk, screened)
                finally:
                    screened.close()
                clock.lap("screen_and_copy")
                importer.build_rows_table(cursor, layout)
                clock.lap("normalise")
                importer.mark_duplicates(cursor)
                rejected = screened.rejected + importer.store_rejections(cursor, run.pk)
                clock.lap("rejections")
                inserted, updated, unchanged = importer.merge(cursor, seen_at=run.started_at)
                clock.lap("merge")
                importer.drop_tables(cursor)
            read = screened.lines
            run.layout = layout.name
            run.file_sha256 = reader.sha256.hexdigest()
            run.lines_read, run.rejected = read, rejected
            run.inserted, run.updated, run.unchanged = inserted, updated, unchanged
            run.status = ImportRun.Status.SUCCEEDED
            run.finished_at = dt.datetime.now(dt.UTC)
            run.save()
            record_event(
                actor=actor,
                action="rpps.import.succeeded",
                target=run,
                changes={key: [None, value] for key, value in run.summary().items()},
            )
    except Exception as exc:
        message = str(exc).strip() or exc.__class__.__name__
        with transaction.atomic():
            run.status = ImportRun.Status.FAILED
            run.error = message[:2000]
            run.finished_at = dt.datetime.now(dt.UTC)
            run.save(update_fields=["status", "error", "finished_at"])
            # The error text may quote a line of the file: it stays in the run, not the trail.
            record_event(
                actor=actor, action="rpps.import.failed", target=run, reason=type(exc).__name__
            )
        raise ImportFailed(message, run) from exc
    return run
