"""`make run`: the whole platform in one terminal, stopped by one Ctrl-C.

Resolves PostgreSQL and Redis (given URLs or embedded ones, see `ordre.runtime`),
migrates, loads the demonstration data, then starts and watches the web server,
a Celery worker and Celery beat, plus every extra process an app registers in
`settings.ORDRE_DEV_PROCESSES` (the local identity provider, for instance).
If one process dies, everything stops: a half-running platform misleads.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from ordre.runtime import BASE_DIR, services

PYTHON = sys.executable


def _processes(host: str, port: int) -> dict[str, list[str]]:
    bin_dir = os.path.dirname(PYTHON)
    return {
        "web": [
            os.path.join(bin_dir, "gunicorn"),
            "ordre.wsgi:application",
            "--config", "python:ordre.gunicorn_conf",
            "--bind", f"{host}:{port}",
            "--workers", os.environ.get("WEB_CONCURRENCY", "2"),
            "--threads", "4",
            "--access-logfile", "-",
        ],
        "worker": [
            os.path.join(bin_dir, "celery"), "-A", "ordre", "worker",
            "--loglevel", "INFO", "--concurrency", os.environ.get("CELERY_CONCURRENCY", "2"),
        ],
        "beat": [
            os.path.join(bin_dir, "celery"), "-A", "ordre", "beat",
            "--loglevel", "INFO", "--pidfile", "",
        ],
    }  # fmt: skip


def _manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PYTHON, str(BASE_DIR / "manage.py"), *args], env=env, check=True)


def _extra_processes(env: dict[str, str]) -> dict[str, list[str]]:
    """Extra development processes declared by apps (name -> argv), read from settings."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(getattr(settings, 'ORDRE_DEV_PROCESSES', {})))"
    )
    out = subprocess.run([PYTHON, "-c", code], env=env, check=True, capture_output=True, text=True)
    import json

    return {
        name: [PYTHON if a == "{python}" else a for a in argv]
        for name, argv in json.loads(out.stdout.strip().splitlines()[-1]).items()
    }


def _stop_all(children: dict[str, subprocess.Popen]) -> None:
    for child in children.values():
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children.values():
        remaining = max(0.1, deadline - time.monotonic())
        try:
            child.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def main() -> int:
    host = os.environ.get("ORDRE_HOST", "127.0.0.1")
    port = int(os.environ.get("ORDRE_PORT", "8000"))
    os.environ.setdefault("ORDRE_ENV", "dev")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordre.settings")
    os.environ.setdefault("SITE_URL", f"http://{host}:{port}")
    # A Ctrl-C before the children run must still stop the embedded services.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with services() as urls:
        env = {**os.environ, **urls.as_environ()}
        # Metrics shared by the web workers: a fresh directory at each start.
        metrics_dir = Path(env.get("ORDRE_DATA_DIR") or BASE_DIR / ".data") / "prometheus"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        if urls.embedded:
            print(f"ordre: embedded services: {', '.join(urls.embedded)} (data in .data/)")
        _manage("migrate", "--noinput", env=env)
        _manage("load_demo", env=env)
        commands = {**_processes(host, port), **_extra_processes(env)}
        children: dict[str, subprocess.Popen] = {}
        try:
            for name, argv in commands.items():
                # Each child in its own process group: we decide the order they stop in.
                children[name] = subprocess.Popen(argv, env=env, start_new_session=True)
            print(
                f"\nOrdre is running at http://{host}:{port}/ "
                f"(processes: {', '.join(children)}). Ctrl-C stops everything.\n",
                flush=True,
            )
            _manage("print_demo_logins", env=env)
            while True:
                for name, child in children.items():
                    if child.poll() is not None:
                        print(f"ordre: process {name!r} exited ({child.returncode}); stopping.")
                        return 1
                time.sleep(0.5)
        except KeyboardInterrupt:
            print("\nordre: stopping...", flush=True)
            return 0
        finally:
            _stop_all(children)


if __name__ == "__main__":
    sys.exit(main())
