import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ordre.audit.actors import SystemActor
from ordre.audit.context import audit_context
from rpps.services import ImportFailed, import_ans_extract

ACTOR = SystemActor("command:import_ans_extract")
SHOWN_REJECTIONS = 20


class ProgressBar:
    """A byte-based progress bar, drawn only when the output is a terminal."""

    def __init__(self, stream, total: int, width: int = 40):
        self.stream, self.total, self.width = stream, max(total, 1), width
        self.done = 0
        self.merging = False
        self.last_draw = 0.0
        self.started = time.monotonic()

    def __call__(self, size: int) -> None:
        self.done += size
        now = time.monotonic()
        if now - self.last_draw >= 0.1 or self.done >= self.total:
            self.last_draw = now
            self.draw()
        if self.done >= self.total and not self.merging:
            self.merging = True  # the file is read; PostgreSQL now validates and merges
            self.stream.write(" : contrôle et fusion…")
            self.stream.flush()

    def draw(self) -> None:
        ratio = min(self.done / self.total, 1.0)
        filled = int(ratio * self.width)
        rate = self.done / max(time.monotonic() - self.started, 1e-6) / 1e6
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {ratio:6.1%} "
            f"{self.done / 1e6:,.1f}/{self.total / 1e6:,.1f} Mo {rate:,.1f} Mo/s"
        )
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Importe une extraction de l'annuaire national (PS_LibreAcces_Personne_activite_*.txt "
        "séparé par « | », ou Extraction_RPPS_* séparé par « ; »)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="chemin du fichier d'extraction")
        parser.add_argument(
            "--no-progress", action="store_true", help="pas de barre de progression"
        )

    def handle(self, *args, file: str, no_progress: bool = False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        bar = None
        if not no_progress and sys.stdout.isatty() and self.stdout.isatty():
            bar = ProgressBar(self.stdout._out, path.stat().st_size)
        try:
            with audit_context(command="import_ans_extract"):
                run = import_ans_extract(actor=ACTOR, path=path, progress=bar)
        except ImportFailed as exc:
            if bar:
                bar.finish()
            raise CommandError(f"Import échoué, rien n'a été modifié : {exc}") from exc
        if bar:
            bar.finish()
        self.stdout.write(
            f"{run.file_name} ({run.layout}) : {run.lines_read} lues, {run.inserted} ajoutées, "
            f"{run.updated} modifiées, {run.unchanged} inchangées, {run.rejected} rejetées "
            f"en {(run.finished_at - run.started_at).total_seconds():.1f} s."
        )
        for rejection in run.rejections.all()[:SHOWN_REJECTIONS]:
            self.stdout.write(
                f"  ligne {rejection.line_no} : {rejection.get_reason_display()} ({rejection.detail})"
            )
        if run.rejected > SHOWN_REJECTIONS:
            self.stdout.write(f"  … et {run.rejected - SHOWN_REJECTIONS} autres (voir l'admin).")
