"""Directory extract import rate next to a raw PostgreSQL COPY of the same file.

Target (DESIGN.md s.8): the import runs at least half the raw COPY rate.

    ORDRE_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/ordre \\
        .venv/bin/python bench/rpps_import_bench.py [--lines 300000] [--keep-db]

It works in a database of its own (`<DATABASE_TEST_NAME>_bench_rpps`, created and
migrated like a test database, dropped at the end unless --keep-db), generates N
synthetic `|` lines (no real person), then in the same run:
1. raw COPY: the file streamed by the same block size into a bare table of 53 text
   columns (PostgreSQL parses the `|` fields; no index, no validation);
2. import: `rpps.services.import_ans_extract` into an empty directory table;
3. re-import of the same file (everything unchanged).
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordre.settings")
os.environ.setdefault("ORDRE_ENV", "test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from ordre.audit.actors import SystemActor  # noqa: E402
from rpps.importer import BLOCK_SIZE  # noqa: E402
from rpps.layout import PERSONNE_ACTIVITE_COLUMNS  # noqa: E402
from rpps.models import DirectoryEntry  # noqa: E402
from rpps.services import import_ans_extract  # noqa: E402
from rpps.synthetic import pipe_header, pipe_line, record  # noqa: E402

ACTOR = SystemActor("bench:rpps_import")


def generate(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(pipe_header() + "\n")
        for index in range(1, lines + 1):
            out.write(pipe_line(record(index)) + "\n")


def raw_copy(path: Path) -> float:
    columns = len(PERSONNE_ACTIVITE_COLUMNS) + 1
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_copy")
        cursor.execute(
            "CREATE TABLE bench_raw_copy (" + ", ".join(f"c{i} text" for i in range(columns)) + ")"
        )
        started = time.perf_counter()
        with (
            path.open("rb") as handle,
            cursor.copy(
                "COPY bench_raw_copy FROM STDIN WITH "
                "(FORMAT csv, DELIMITER '|', QUOTE E'\\x02', HEADER true)"
            ) as copy,
        ):
            while block := handle.read(BLOCK_SIZE):
                copy.write(block)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_raw_copy")
    return elapsed


def timed_import(path: Path):
    timings: dict[str, float] = {}
    started = time.perf_counter()
    run = import_ans_extract(actor=ACTOR, path=path, timings=timings)
    elapsed = time.perf_counter() - started
    print("  phases: " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
    return elapsed, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    settings.DATABASES["default"]["TEST"]["NAME"] = (
        settings.DATABASES["default"]["TEST"]["NAME"] + "_bench_rpps"
    )
    connection.settings_dict["TEST"]["NAME"] = settings.DATABASES["default"]["TEST"]["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep_db)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "PS_LibreAcces_Personne_activite_bench.txt"
            started = time.perf_counter()
            generate(path, args.lines)
            size = path.stat().st_size
            print(
                f"generated {args.lines:,} lines ({size / 1e6:,.1f} MB) "
                f"in {time.perf_counter() - started:.1f} s, database {name}"
            )
            DirectoryEntry.objects.all().delete()
            copy_s = raw_copy(path)
            import_s, run = timed_import(path)
            assert run.inserted == args.lines, run.summary()
            reimport_s, rerun = timed_import(path)
            assert rerun.unchanged == args.lines, rerun.summary()
            copy_rate = args.lines / copy_s
            import_rate = args.lines / import_s
            reimport_rate = args.lines / reimport_s
            print(f"raw COPY into a bare table : {copy_s:7.2f} s  {copy_rate:12,.0f} rows/s")
            print(f"import (all new)           : {import_s:7.2f} s  {import_rate:12,.0f} rows/s")
            print(
                f"re-import (all unchanged)  : {reimport_s:7.2f} s  {reimport_rate:12,.0f} rows/s"
            )
            ratio = import_rate / copy_rate
            verdict = "OK" if ratio >= 0.5 else "BELOW TARGET"
            print(f"import / raw COPY ratio    : {ratio:.2f} (target >= 0.50) {verdict}")
            print(f"re-import / raw COPY ratio : {reimport_rate / copy_rate:.2f}")
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"peak memory of this process: {peak:,.0f} MB (file {size / 1e6:,.0f} MB)")
    finally:
        if not args.keep_db:
            connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
