# Production image of Ordre: one image for web (gunicorn), worker and beat (Celery).
# Build: docker build -t ordre .   Run: see docker-compose.yml.
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH="/app/.venv/bin:$PATH"

# WeasyPrint needs Pango (with HarfBuzz and fontconfig) and some fonts; nothing else
# native: psycopg ships its libpq in the binary wheel.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        libfontconfig1 fonts-dejavu-core shared-mime-info \
    && rm -rf /var/lib/apt/lists/*

# The same uv as the Makefile, so the lock file is read the same way.
RUN pip install uv==0.13.8

WORKDIR /app

# Dependencies first (a layer that changes only with the lock file), without the
# development group (pytest, ruff, playwright...).
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .

# Static files with the production storage (hashed names, compressed). Settings
# refuse to load without secrets: give throwaway build-time values, never used at run.
RUN ORDRE_ENV=prod \
    SECRET_KEY=build-only-not-a-secret \
    ORDRE_CRYPTO_KEYS=k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    ORDRE_BLIND_INDEX_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput

# Run as an unprivileged user; only the data directory (a volume) is writable.
RUN groupadd --system --gid 10001 ordre \
    && useradd --system --uid 10001 --gid ordre --home-dir /app --no-create-home ordre \
    && mkdir -p /app/data /tmp/prometheus \
    && chown ordre:ordre /app/data /tmp/prometheus
USER ordre

ENV ORDRE_ENV=prod \
    ORDRE_DATA_DIR=/app/data \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus
EXPOSE 8000

# Default: the web server. docker-compose.yml overrides the command for worker and beat.
CMD ["gunicorn", "ordre.wsgi:application", "--config", "python:ordre.gunicorn_conf", "--bind", "0.0.0.0:8000", "--workers", "4", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
