"""Shared fixtures: real PostgreSQL (pytest-django), real Redis, a real Celery worker."""

import datetime as dt
import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent

# One Playwright and one Chromium for the whole session, whichever directory asks.
pytest_plugins = ["tests.browser.fixtures"]


def _worker_environ(database_name: str) -> dict[str, str]:
    """The worker must use the test database pytest-django created, and our test queue."""
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = db.get("HOST") or ""
    if host.startswith("/"):
        url = f"postgres://{auth}/{database_name}?host={host}"
    else:
        port = f":{db['PORT']}" if db.get("PORT") else ""
        url = f"postgres://{auth}{host}{port}/{database_name}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "ORDRE_ENV": "test",
    }


class LiveWorker:
    """A real `celery worker` process consuming the test queue on the real broker."""

    def __init__(self, database_name: str):
        self.database_name = database_name
        self.process: subprocess.Popen | None = None
        self.log_path = BASE_DIR / ".data" / f"test-worker-{os.getpid()}.log"

    def start(self) -> None:
        from ordre.ops.tasks import ping

        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "ordre", "worker",
                "--pool", "threads", "--concurrency", "4",
                "--queues", settings.CELERY_TASK_DEFAULT_QUEUE,
                "--loglevel", "INFO", "--without-gossip", "--without-mingle",
                "--hostname", f"test-{os.getpid()}@%h",
            ],
            env=_worker_environ(self.database_name),
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited; see {self.log_path}")
            try:
                if ping.apply_async(expires=5).get(timeout=2) == "pong":
                    return
            except Exception:  # noqa: BLE001, S112 - not up yet
                continue
        raise RuntimeError(f"celery worker did not answer within 60 s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None


@pytest.fixture(scope="session")
def live_worker(django_db_setup, django_db_blocker):
    """A session-wide real Celery worker. Tests using it need `transactional_db`."""
    worker = LiveWorker(settings.DATABASES["default"]["NAME"])
    worker.start()
    yield worker
    worker.stop()


# Reference data (councils, role groups, beat schedules...) is loaded by migrations. A
# transactional test ends with a flush of every table; restore that data right after,
# so that the order of tests never matters.
_reference_data: str | None = None


@pytest.fixture(scope="session", autouse=True)
def _capture_reference_data(request, django_db_blocker):
    global _reference_data  # captured once per session
    from django.db import connection

    if not any(_is_transactional(item) for item in request.session.items):
        return  # nothing will flush the database: nothing to restore (nor to set up)
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        _reference_data = connection.creation.serialize_db_to_string()


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # nextitem None: the session (and its test database) is being torn down too.
    if _reference_data is None or nextitem is None or not _is_transactional(item):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        # The flush re-created content types and permissions (post_migrate) with new ids:
        # drop them (and what points to them) so the captured rows come back unchanged.
        from django.contrib.contenttypes.models import ContentType

        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {ContentType._meta.db_table} CASCADE")
        connection.creation.deserialize_db_from_string(_reference_data)


@pytest.fixture
def clear_cache():
    """Empty the cache (throttling counters among others) before a test."""
    from django.core.cache import cache

    cache.clear()
    yield cache


_rpps_numbers = itertools.count(1)


@pytest.fixture
def register_doctor():
    """Enter a doctor in the register through the real service (audit, outbox, directory)."""
    from django.db import transaction

    from ordre.audit.actors import SystemActor
    from tableau.services import doctor_register

    def make(
        council="75", last_name="Martin", first_names="Jeanne Marie", places=(), qualifications=()
    ):
        n = next(_rpps_numbers)
        with transaction.atomic():
            return doctor_register(
                actor=SystemActor("test:register"),
                rpps=f"10{n:09d}",
                council=council,
                identity={
                    "birth_name": last_name,
                    "first_names": first_names,
                    "sex": "F",
                    "birth_date": dt.date(1980, 5, 17),
                    "birth_place": "Lyon",
                },
                places=list(places),
                qualifications=list(qualifications),
            )

    return make
