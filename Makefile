# Ordre: the two commands are `make run` and `make test`. Everything else is help.
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
WITH_SERVICES := $(BIN)/python -m ordre.runtime exec --

.PHONY: run test lint fix install migrate shell worker beat web clean-data help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(BIN)/.installed: $(UV) pyproject.toml uv.lock
	UV_PYTHON=$(PYTHON) $(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(BIN)/.installed ## Create .venv with the locked dependencies

run: install ## Start the whole platform with demo data (Ctrl-C stops it)
	ORDRE_ENV=dev $(BIN)/python -m ordre.supervisor

lint: install ## ruff, formatting, import contracts, migrations in sync
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	ORDRE_ENV=test ORDRE_DATA_DIR=$(CURDIR)/.data/test $(WITH_SERVICES) $(BIN)/python manage.py makemigrations --check --dry-run

test: lint ## Lint, then the whole test suite on real PostgreSQL and Redis
	ORDRE_ENV=test ORDRE_DATA_DIR=$(CURDIR)/.data/test $(WITH_SERVICES) $(BIN)/pytest $(PYTEST_ARGS)

fix: install ## Apply the fixers (ruff)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: install ## Apply migrations
	ORDRE_ENV=dev $(WITH_SERVICES) $(BIN)/python manage.py migrate

shell: install ## Django shell with the services
	ORDRE_ENV=dev $(WITH_SERVICES) $(BIN)/python manage.py shell

web: install ## Only the web server (needs DATABASE_URL and REDIS_URL)
	ORDRE_ENV=dev $(BIN)/gunicorn ordre.wsgi:application --bind 127.0.0.1:8000

worker: install ## Only a Celery worker (needs DATABASE_URL and REDIS_URL)
	ORDRE_ENV=dev $(BIN)/celery -A ordre worker --loglevel INFO

beat: install ## Only Celery beat (needs DATABASE_URL and REDIS_URL)
	ORDRE_ENV=dev $(BIN)/celery -A ordre beat --loglevel INFO

clean-data: ## Delete the embedded services' data and the dev secrets
	rm -rf .data
