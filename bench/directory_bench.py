"""Public directory search over N synthetic doctors (default 300,000).

Targets (DESIGN.md s.8): search p95 under 15 ms in the database; API throughput at
least 75% of a bare Django view doing the same query.

    ORDRE_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/ordre \\
        .venv/bin/python bench/directory_bench.py [--doctors 300000] [--requests 400]

Works in a database of its own (created and migrated like a test database, dropped at
the end unless --keep-db). Prints, for a mix of queries (short prefixes are the hard
case): p50/p95 of the selector (ORM, count included) next to the bare SQL of the same
search; then, through HTTP on loopback (gunicorn), p50/p95 and requests/s of the API
next to a bare Django view running the bare SQL, in the same run.
"""

import argparse
import io
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordre.settings")
os.environ.setdefault("ORDRE_ENV", "test")

import django  # noqa: E402 - settings first

django.setup()

import httpx  # noqa: E402
from django.db import connection  # noqa: E402

from bench.bare_directory import bare_search  # noqa: E402
from tableau.directory.selectors import DirectoryQuery, directory_search  # noqa: E402
from tableau.normalise import normalise  # noqa: E402

LAST = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
        "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
        "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
        "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
        "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
        "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand",
        "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
        "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier",
        "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin",
        "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas",
        "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc",
        "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte"]  # fmt: skip
FIRST = ["Jean", "Marie", "Pierre", "Anne", "Michel", "Nathalie", "Philippe", "Isabelle", "Alain",
         "Sylvie", "Nicolas", "Catherine", "Christophe", "Sophie", "Jean-Marc", "Éloïse", "Julien",
         "Camille", "Thomas", "Léa", "François", "Hélène", "Laurent", "Chloé", "Stéphane", "Inès",
         "Olivier", "Manon", "David", "Zoé", "Sébastien", "Jeanne", "Antoine", "Louise", "Hugo",
         "Emma", "Lucas", "Claire", "Mathieu", "Agnès"]  # fmt: skip
SPECIALTIES = ["SM54", "SM26", "SM53", "SM04", "SM21", "SM33", "SM37", "SM42"]
QUERIES = ["m", "d", "ma", "du", "mar", "dup", "mart", "dupon jea", "martin", "martin jean",
           "le", "lef", "bernard marie", "ro", "gu", "ch", "jean", "fontaine cl", "z", "thomas l"]  # fmt: skip
TABLE = "tableau_directory_directoryentry"


def populate(doctors: int) -> None:
    rng = random.Random(42)
    buffer = io.StringIO()
    for i in range(doctors):
        last, first = rng.choice(LAST), rng.choice(FIRST)
        if rng.random() < 0.3:  # double-barrelled names
            last = f"{last}-{rng.choice(LAST)}"
        dept = f"{rng.randint(1, 95):02d}".replace("20", "2A")
        city = f"Ville{rng.randint(1, 2000)}"
        spec = rng.choice(SPECIALTIES)
        listed = "f" if rng.random() < 0.03 else "t"
        places = json.dumps(
            [
                {
                    "mode": "L",
                    "name": "",
                    "address": "1 rue",
                    "postal_code": "75001",
                    "city": city,
                    "primary": True,
                }
            ]
        )
        buffer.write(
            "\t".join([str(i + 1), f"10{i + 1:09d}", last, first, normalise(f"{last} {first}"), "registered",
                       listed, dept, f"{{{spec}}}", "{L}", f"{{{dept}}}", f"{{{normalise(city)}}}",
                       places.replace("\\", "\\\\"), "2026-01-01 00:00:00+00"]) + "\n"
        )  # fmt: skip
    buffer.seek(0)
    columns = ("doctor_id, rpps, last_name, first_name, sort_name, status, listed, council, "
               "specialties, modes, departments, cities, places, updated_at")  # fmt: skip
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {TABLE} ({columns}) FROM STDIN") as copy:
            while block := buffer.read(1 << 20):
                copy.write(block)
        cursor.execute(f"UPDATE {TABLE} SET search = to_tsvector('simple', sort_name)")
        cursor.execute(f"VACUUM ANALYZE {TABLE}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def in_database(repeat: int) -> None:
    print(f"\n-- in the database ({repeat} runs of each of {len(QUERIES)} queries), ms")
    print(f"{'query':<16}{'selector p50':>14}{'p95':>8}{'bare SQL p50':>15}{'p95':>8}")
    all_selector, all_bare = [], []
    with connection.cursor() as cursor:
        for q in QUERIES:
            selector = timed(lambda q=q: directory_search(DirectoryQuery(q=q)), repeat)
            tokens = normalise(q).split()
            bare = timed(
                lambda tokens=tokens: bare_search(cursor, tokens),
                repeat,
            )
            all_selector += selector
            all_bare += bare
            print(f"{q:<16}{statistics.median(selector):>14.2f}{percentile(selector, 95):>8.2f}"
                  f"{statistics.median(bare):>15.2f}{percentile(bare, 95):>8.2f}")  # fmt: skip
    print(f"{'ALL':<16}{statistics.median(all_selector):>14.2f}{percentile(all_selector, 95):>8.2f}"
          f"{statistics.median(all_bare):>15.2f}{percentile(all_bare, 95):>8.2f}   (target p95 < 15 ms)")  # fmt: skip


def through_http(database_name: str, requests: int, port: int) -> None:
    env = {**os.environ, "ORDRE_ROOT_URLCONF": "bench.bench_urls", "DEBUG": "false"}
    db = connection.settings_dict
    host = db.get("HOST") or ""
    env["DATABASE_URL"] = (
        f"postgres://{db.get('USER') or 'postgres'}@/{database_name}?host={host}"
        if host.startswith("/")
        else f"postgres://{db.get('USER') or 'postgres'}@{host or '127.0.0.1'}:{db.get('PORT') or 5432}/{database_name}"
    )
    env["API_THROTTLE_ANON"] = "10000000/minute"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "ordre.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "2", "--log-level", "warning"],
        cwd=BASE_DIR, env=env,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health/").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        print(
            f"\n-- through HTTP (gunicorn, 2 workers x 2 threads; {requests} requests, 4 client threads)"
        )
        for label, path in (
            ("bare view", "/bench/bare-search/"),
            ("API", "/api/v1/annuaire/medecins/"),
        ):
            with httpx.Client(base_url=base) as client:
                client.get(path, params={"q": "mar"})  # warm-up

                def one(i, client=client, path=path):
                    started = time.perf_counter()
                    response = client.get(path, params={"q": QUERIES[i % len(QUERIES)]})
                    assert response.status_code == 200, response.text[:200]
                    return (time.perf_counter() - started) * 1000

                started = time.perf_counter()
                with ThreadPoolExecutor(4) as pool:
                    latencies = list(pool.map(one, range(requests)))
                elapsed = time.perf_counter() - started
            rate = requests / elapsed
            print(
                f"{label:<10} {rate:8.1f} req/s   p50 {statistics.median(latencies):6.1f} ms   p95 {percentile(latencies, 95):6.1f} ms"
            )
            if label == "bare view":
                bare_rate = rate
        print(f"API / bare view throughput: {rate / bare_rate:.0%} (target >= 75%)")
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--doctors", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    connection.settings_dict["TEST"]["NAME"] = connection.settings_dict["NAME"] + "_bench_directory"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep_db)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            existing = cursor.fetchone()[0]
        if existing != args.doctors:
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {TABLE}")
            started = time.perf_counter()
            populate(args.doctors)
            print(
                f"populated {args.doctors:,} directory entries in {time.perf_counter() - started:.1f} s"
            )
        in_database(args.repeat)
        through_http(name, args.requests, args.port)
    finally:
        if not args.keep_db:
            connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
