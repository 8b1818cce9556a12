"""Nightly council sync: 1% of N doctors changed, pushed to 101 real HTTP receivers;
then a full resync of everything.

Targets (DESIGN.md s.8): the nightly sync of 1% daily changes to 101 councils under
10 s; a full resync of 300,000 doctors under 5 minutes.

    ORDRE_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/ordre \\
        .venv/bin/python bench/council_sync_bench.py [--doctors 300000] [--workers 16] [--keep-db]

It works in a database of its own (`<DATABASE_TEST_NAME>_bench_sync`, created and
migrated like a test database, dropped at the end unless --keep-db):
1. one doctor is registered through the real service; N-1 copies of its row (same
   ciphertexts, never decrypted here: the sync reads only the outbox) are inserted by
   one INSERT ... SELECT over generate_series, spread over the 101 councils, and one
   "registered" outbox row per doctor with a realistic public payload;
2. every council gets a feed pushing to one loopback ThreadingHTTPServer (one path per
   council) that checks the HMAC signature, parses the body, drops a repeated
   idempotency key, and counts the changes it applies;
3. (a) nightly: feeds acknowledged up to the end of the initial load, then 1% of the
   doctors change (a tenth of them transfers, concerning two councils), and the 101
   councils are delivered by `tableau.sync.services.deliver_push` in a pool of
   `--workers` threads (as Celery worker processes would, one delivery per council);
   (b) full resync: acknowledged positions reset to 0, everything delivered again.
Each receiver's count is checked against the outbox (nothing lost, nothing doubled).
"""

import argparse
import json
import logging
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordre.settings")
os.environ.setdefault("ORDRE_ENV", "test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from ordre.audit.actors import SystemActor  # noqa: E402
from ordre.councils.models import Council  # noqa: E402
from tableau.models import RegisterChange  # noqa: E402
from tableau.services import doctor_register  # noqa: E402
from tableau.sync.models import CouncilFeed  # noqa: E402
from tableau.sync.services import deliver_push, feed_configure  # noqa: E402
from tableau.sync.signing import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verify_signature  # noqa: E402

ACTOR = SystemActor("bench:council_sync")
SECRET = "bench-secret-"  # noqa: S105 (a bench receiver key prefix, + council code)


class Receivers:
    """One loopback HTTP server, one path per council: /c/<code>."""

    def __init__(self):
        self.applied: dict[str, int] = {}
        self.keys: set[str] = set()
        self.requests = 0
        self.refused = 0
        self.lock = threading.Lock()
        receivers = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receivers.handle(self.path.rsplit("/", 1)[-1], body, self.headers)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/c/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def handle(self, code: str, body: bytes, headers) -> int:
        if not verify_signature(body, headers.get(SIGNATURE_HEADER, ""), SECRET + code):
            with self.lock:
                self.refused += 1
            return 401
        changes = json.loads(body)["changes"]
        key = headers.get(IDEMPOTENCY_HEADER, "")
        with self.lock:
            self.requests += 1
            if key not in self.keys:
                self.keys.add(key)
                self.applied[code] = self.applied.get(code, 0) + len(changes)
        return 204

    def reset(self):
        with self.lock:
            self.applied.clear()
            self.keys.clear()
            self.requests = 0

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _doctor_columns() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'tableau_doctor' ORDER BY ordinal_position"
        )
        return [row[0] for row in cursor.fetchall()]


PAYLOAD_SQL = """jsonb_build_object(
    'rpps', d.rpps, 'last_name', d.public_last_name, 'first_name', d.public_first_name,
    'council', {council}, 'status', 'registered', 'status_since', '2020-01-01',
    'qualifications', jsonb_build_array(CASE WHEN mod(d.id, 3) = 0 THEN 'SM54' ELSE 'SM26' END),
    'places', jsonb_build_array(jsonb_build_object(
        'mode', CASE WHEN mod(d.id, 2) = 0 THEN 'L' ELSE 'S' END,
        'name', 'Cabinet médical ' || d.id, 'address', d.id || ' rue de la République',
        'postal_code', left(lpad({council}, 2, '0') || '000', 5), 'city', 'Ville ' || {council},
        'siret', '', 'finess', '', 'primary', true)))"""


def load(doctors: int, codes: list[str]) -> None:
    """N doctors (copies of one registered through the service) and their outbox rows."""
    with transaction.atomic():
        template = doctor_register(
            actor=ACTOR,
            rpps="10000000000",
            council=codes[0],
            identity={
                "birth_name": "Modèle",
                "first_names": "Jeanne",
                "sex": "F",
                "birth_date": "1980-05-17",
                "birth_place": "Lyon",
            },
        )
    RegisterChange.objects.all().delete()
    overrides = {
        "id": None,
        "user_id": "NULL",
        "rpps": "'10' || lpad(i::text, 9, '0')",
        "crypto_id": "gen_random_uuid()",
        "public_last_name": "'Nom' || i",
        "public_first_name": "'Prénom' || i",
        "public_name_normalized": "'nom' || i || ' prenom' || i",
        "council_id": "(%(codes)s::text[])[1 + mod(i, %(n)s)]",
    }
    columns = [c for c in _doctor_columns() if overrides.get(c, "") is not None]
    select = [overrides.get(c) or f"t.{c}" for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO tableau_doctor ({', '.join(columns)}) "
            f"SELECT {', '.join(select)} FROM tableau_doctor t, generate_series(1, %(last)s) i "
            "WHERE t.id = %(template)s",
            {"codes": codes, "n": len(codes), "last": doctors - 1, "template": template.pk},
        )
        cursor.execute(
            "INSERT INTO tableau_registerchange (doctor_id, councils, kind, payload, created_at) "
            f"SELECT d.id, ARRAY[d.council_id], 'registered', {PAYLOAD_SQL.format(council='d.council_id')}, "
            "now() FROM tableau_doctor d ORDER BY d.id"
        )
        cursor.execute("ANALYZE tableau_doctor")
        cursor.execute("ANALYZE tableau_registerchange")


def change_one_percent(codes: list[str]) -> int:
    """1% of the doctors change: a tenth of them are transfers (two councils)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tableau_registerchange (doctor_id, councils, kind, payload, created_at) "
            "SELECT d.id, CASE WHEN mod(d.id, 1000) = 7 THEN ARRAY[d.council_id, "
            "(%(codes)s::text[])[1 + mod(d.id / 100, %(n)s)]] ELSE ARRAY[d.council_id] END, "
            "CASE WHEN mod(d.id, 1000) = 7 THEN 'transfer' ELSE 'place_changed' END, "
            f"{PAYLOAD_SQL.format(council='d.council_id')}, now() "
            "FROM tableau_doctor d WHERE mod(d.id, 100) = 7 ORDER BY d.id",
            {"codes": codes, "n": len(codes)},
        )
        count = cursor.rowcount
        cursor.execute("ANALYZE tableau_registerchange")
    return count


def expected_per_council(after: int) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c, count(DISTINCT id) FROM tableau_registerchange, unnest(councils) c "
            "WHERE id > %s GROUP BY c",
            [after],
        )
        return dict(cursor.fetchall())


def deliver_all(codes: list[str], workers: int) -> tuple[float, list]:
    def one(code):
        try:
            return deliver_push(council_code=code)
        finally:
            connections.close_all()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        deliveries = list(pool.map(one, codes))
    return time.perf_counter() - started, deliveries


def check(receivers: Receivers, expected: dict[str, int], label: str) -> None:
    if receivers.applied != expected or receivers.refused:
        missing = {c: (expected.get(c), receivers.applied.get(c)) for c in expected}
        raise SystemExit(f"{label}: receivers do not match the outbox: {missing}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doctors", type=int, default=300_000)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)

    settings.DATABASES["default"]["TEST"]["NAME"] = (
        settings.DATABASES["default"]["TEST"]["NAME"] + "_bench_sync"
    )
    connection.settings_dict["TEST"]["NAME"] = settings.DATABASES["default"]["TEST"]["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep_db)
    receivers = Receivers()
    try:
        codes = sorted(Council.objects.filter(kind="departmental").values_list("code", flat=True))
        started = time.perf_counter()
        load(args.doctors, codes)
        print(
            f"loaded {args.doctors:,} doctors and outbox rows over {len(codes)} councils "
            f"in {time.perf_counter() - started:.1f} s, database {name}"
        )
        for code in codes:
            feed_configure(
                actor=ACTOR,
                council_code=code,
                push_url=receivers.base + code,
                signing_secret=SECRET + code,
            )
        initial_end = RegisterChange.objects.order_by("-id").values_list("id", flat=True)[0]
        CouncilFeed.objects.update(acknowledged_position=initial_end)
        changed = change_one_percent(codes)

        nightly_s, deliveries = deliver_all(codes, args.workers)
        check(receivers, expected_per_council(initial_end), "nightly")
        pushed = sum(d.changes for d in deliveries)
        batches = sum(d.batches for d in deliveries)
        verdict = "OK" if nightly_s < 10 else "ABOVE TARGET"
        print(
            f"(a) nightly, {changed:,} changed doctors ({pushed:,} council deliveries, "
            f"{batches} batches, {receivers.requests} requests): {nightly_s:7.2f} s "
            f"(target < 10 s) {verdict}"
        )

        receivers.reset()
        CouncilFeed.objects.update(acknowledged_position=0)
        full_s, deliveries = deliver_all(codes, args.workers)
        check(receivers, expected_per_council(0), "full resync")
        pushed = sum(d.changes for d in deliveries)
        batches = sum(d.batches for d in deliveries)
        verdict = "OK" if full_s < 300 else "ABOVE TARGET"
        print(
            f"(b) full resync of {args.doctors:,} doctors ({pushed:,} changes, {batches} "
            f"batches): {full_s:7.2f} s  {pushed / full_s:,.0f} changes/s "
            f"(target < 300 s) {verdict}"
        )
        if args.doctors < 300_000:
            print(
                f"    linear estimate for 300,000 doctors: {full_s * 300_000 / args.doctors:.0f} s"
            )
        print(f"workers: {args.workers} threads; batch size {settings.COUNCIL_SYNC_BATCH_SIZE}")
    finally:
        receivers.close()
        connections.close_all()
        if not args.keep_db:
            connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
