# Annexe: `make run` starts everything on a fresh clone; `make test` runs every test.
# With CI=true, `make test` uses PostgreSQL and Redis on 127.0.0.1 and headless Chromium.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

ifeq ($(CI),true)
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/annexe
export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/0
export REDIS_URL ?= redis://127.0.0.1:6379/1
endif

.PHONY: run test setup deps assets messages migrate seed lint format ci-prerequisites bench clean

run: migrate seed ## Set everything up and start web, worker and beat
	@$(PY) manage.py run_banner
	@exec $(VENV)/bin/honcho -f Procfile.dev start -p $(PORT)

test: setup ci-prerequisites lint ## Set everything up and run the whole test suite
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

setup: deps assets messages var/.created

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.deps: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

deps: $(VENV)/.deps

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json deps
	@$(PY) scripts/vendor_assets.py

messages: deps
	@$(PY) manage.py compile_translations

var/.created:
	@mkdir -p var/broker/queue var/broker/processed var/media var/cache
	@touch $@

migrate: setup
	$(PY) scripts/ensure_database.py
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# CI runs the browser tests in Debian's Chromium (never `playwright install`).
ci-prerequisites:
ifeq ($(CI),true)
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)
	$(PY) scripts/ensure_database.py
endif

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: migrate
	@for b in bench/[a-z]*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
