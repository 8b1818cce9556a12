"""Demonstration data: a small synthetic national directory extract (no real person).

Imported once (idempotent: skipped when the directory already has entries). The RPPS
numbers start at 10 50000001x, far from the numbers our sequence issues.
"""

import tempfile
from pathlib import Path

from ordre.audit.actors import SystemActor
from rpps.models import DirectoryEntry
from rpps.services import import_ans_extract
from rpps.synthetic import pipe_header, pipe_lines

DEMO_LINES = 200
DEMO_START = 50_000_001


def load() -> None:
    if DirectoryEntry.objects.exists():
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "PS_LibreAcces_Personne_activite_demo.txt"
        lines = [pipe_header(), *pipe_lines(DEMO_LINES, start=DEMO_START)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        import_ans_extract(actor=SystemActor("command:load_demo"), path=path)
