"""The clerk's queue with N dossiers in one council (default 10,000), and the certificate
rendering rate next to bare WeasyPrint on the same page. The queue is measured twice:
without, then with outgoing transfers (1% of N) followed by the clerk's council.

    ORDRE_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/ordre \\
        .venv/bin/python bench/procedures_bench.py [--dossiers 10000] [--requests 50] [--pdfs 20]

Works in a database of its own (created and migrated like a test database, dropped at
the end unless --keep-db). Prints p50/p95 of the queue page (Django test client, full
middleware stack, counts and first page of 50) and of its selector alone; then
certificates/s through `certificate_pdf` (template, QR code, WeasyPrint) next to bare
WeasyPrint rendering the same pre-rendered HTML.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordre.settings")
os.environ.setdefault("ORDRE_ENV", "test")

import django  # noqa: E402 - settings first

django.setup()

from django.db import connection  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def populate(count: int):
    """N submitted dossiers of the registration kind in council 75, one applicant each
    (bulk insert: the services would take minutes; the rows are what the queue reads)."""
    from datetime import timedelta

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from ordre.accounts import roles
    from ordre.accounts.models import CouncilMembership, User
    from ordre.procedures.models import Dossier

    clerk = User.objects.create_user(username=f"bench-clerk-{uuid.uuid4().hex[:6]}")
    clerk.groups.add(Group.objects.get_or_create(name=roles.CLERK)[0])
    CouncilMembership.objects.create(user=clerk, council_id="75", since=timezone.localdate())
    users = User.objects.bulk_create(
        [User(username=f"bench-{i}-{uuid.uuid4().hex[:6]}") for i in range(count)], batch_size=2000
    )
    now = timezone.now()
    states = ["submitted", "under_review", "incomplete", "accepted"]
    Dossier.objects.bulk_create(
        [
            Dossier(
                kind="registration",
                applicant=user,
                council_id="75" if i % 10 else "13",
                state=states[i % 4],
                submitted_at=now - timedelta(days=i % 90),
                deadline=now + timedelta(days=(i % 180) - 30) if i % 3 else None,
                form_data={},
            )
            for i, user in enumerate(users)
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:  # as autovacuum would after such a load
        cursor.execute("ANALYZE procedures_dossier; ANALYZE accounts_user")
    return clerk


def add_outgoing_transfers(count: int) -> None:
    """Transfers leaving council 75 for 13: the clerks of 75 follow them (read-only), and
    the queue's scope becomes "council 75 OR origin 75"."""
    from django.utils import timezone

    from ordre.accounts.models import User
    from ordre.procedures.models import Dossier

    users = User.objects.bulk_create(
        [User(username=f"bench-t-{i}-{uuid.uuid4().hex[:6]}") for i in range(count)]
    )
    Dossier.objects.bulk_create(
        [
            Dossier(
                kind="transfer",
                applicant=user,
                council_id="13",
                origin_council_id="75",
                state="submitted",
                submitted_at=timezone.now(),
                form_data={},
            )
            for user in users
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE procedures_dossier")


def bench_queue(clerk, requests: int, label: str = "") -> None:
    from django.test import Client

    from ordre.accounts import session_state
    from ordre.procedures import selectors

    client = Client()
    client.force_login(clerk)
    session = client.session
    session[session_state.VERIFIED_KEY] = {"user": clerk.pk, "method": "bench", "at": time.time()}
    session.save()
    for _ in range(3):
        assert client.get("/instruction/").status_code == 200
    page, selector = [], []
    for _ in range(requests):
        start = time.perf_counter()
        client.get("/instruction/", {"state": "pending"})
        page.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        user = type(clerk).objects.get(pk=clerk.pk)
        list(selectors.dossiers_for_clerk(user, {"state": "pending"})[:50])
        selectors.dossier_counts_for_clerk(user, {"state": "pending"})
        selector.append((time.perf_counter() - start) * 1000)
    print(
        f"queue page   p50 {statistics.median(page):7.1f} ms   p95 {percentile(page, 95):7.1f} ms"
        f"{label}"
    )
    print(
        f"selectors    p50 {statistics.median(selector):7.1f} ms   p95 {percentile(selector, 95):7.1f} ms"
        f"{label}"
    )


def bench_certificates(pdfs: int) -> None:
    import datetime as dt

    from weasyprint import HTML

    from ordre.audit.actors import SystemActor
    from tableau import certificates, services

    doctor = services.doctor_register(
        actor=SystemActor("bench"),
        rpps="10999999996",
        council="75",
        identity={
            "birth_name": "Banc",
            "first_names": "Essai",
            "sex": "F",
            "birth_date": dt.date(1980, 1, 1),
            "birth_place": "Paris",
        },
        qualifications=["SM54"],
    )
    certificate = certificates.certificate_issue(actor=SystemActor("bench"), doctor=doctor)
    html = certificates.certificate_html(certificate)
    certificates.certificate_pdf(certificate)  # warm fonts and caches
    start = time.perf_counter()
    for _ in range(pdfs):
        certificates.certificate_pdf(certificate)
    ours = pdfs / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(pdfs):
        HTML(string=html, base_url=str(BASE_DIR)).write_pdf()
    bare = pdfs / (time.perf_counter() - start)
    print(
        f"certificates {ours:7.2f} pages/s   bare WeasyPrint {bare:7.2f} pages/s   ratio {ours / bare:.0%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--pdfs", type=int, default=20)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    connection.settings_dict["TEST"]["NAME"] = (
        connection.settings_dict["NAME"] + "_bench_procedures"
    )
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep_db)
    try:
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
        start = time.perf_counter()
        clerk = populate(args.dossiers)
        print(
            f"{args.dossiers} dossiers (90% in council 75) in {time.perf_counter() - start:.1f} s"
        )
        bench_queue(clerk, args.requests)
        add_outgoing_transfers(max(1, args.dossiers // 100))
        bench_queue(clerk, args.requests, "   (with 1% outgoing transfers)")
        bench_certificates(args.pdfs)
    finally:
        if not args.keep_db:
            connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
