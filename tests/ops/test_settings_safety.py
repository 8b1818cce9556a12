"""A production configuration must refuse to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def _django_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ORDRE_CRYPTO_KEYS", "ORDRE_BLIND_INDEX_KEY", "ORDRE_ENV"}
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS)"],
        env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_production_without_secrets_refuses_to_start():
    result = _django_check({"ALLOWED_HOSTS": "ordre.example"})
    assert result.returncode != 0
    assert "Missing secrets" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_with_secrets_is_safe_by_default():
    result = _django_check(
        {
            "ALLOWED_HOSTS": "ordre.example",
            "SECRET_KEY": "x" * 50,
            "ORDRE_CRYPTO_KEYS": "k1:" + "A" * 43 + "=",
            "ORDRE_BLIND_INDEX_KEY": "B" * 43 + "=",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "63072000"]


def test_debug_is_never_on_outside_dev():
    result = _django_check({"ORDRE_ENV": "test", "DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_production_requires_allowed_hosts():
    result = _django_check(
        {
            "SECRET_KEY": "x" * 50,
            "ORDRE_CRYPTO_KEYS": "k1:" + "A" * 43 + "=",
            "ORDRE_BLIND_INDEX_KEY": "B" * 43 + "=",
        }
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr
