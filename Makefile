# Two commands: `make run` (set up everything and serve) and `make test`.
PORT ?= 8000
VENV ?= .venv
# Django 6 needs Python 3.12+; take the newest one on PATH or under pyenv.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.1[234]*/bin/python3) python3; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test install lint format migrate demo superuser bench clean fuzz browser-deps

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,prod]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_catalogue

run: demo
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The fuzz suite with a big budget (CI runs 2,000 cases inside `make test`).
FUZZ_EXAMPLES ?= 12000
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_fuzz.py $(PYTEST_ARGS)

# axe-core and the Nu HTML checker for the browser tests, in a gitignored folder.
# Chromium itself comes from Debian's package (installed here when missing and run as root).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { test "$$(id -u)" = 0 \
	  && apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
	  || { echo "Chromium is missing: apt-get install chromium"; exit 1; }
	@test -f .tools/node_modules/axe-core/axe.min.js \
	  && test -f .tools/node_modules/vnu-jar/build/dist/vnu.jar \
	  || npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund \
	    --ignore-scripts axe-core@^4.10 vnu-jar@^26

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

superuser: migrate
	$(BIN)/python manage.py createsuperuser

# The benchmark on PostgreSQL (bench/RESULTS.md): `make bench N=10000 PEER=datasette`.
N ?= 100000
SEED ?= 1
PEER ?=
BENCH_DATABASE_URL := $(or $(DATABASE_URL),postgres://root@127.0.0.1:5432/bench)
BENCH_ENV := DATABASE_URL='$(BENCH_DATABASE_URL)' DJANGO_SETTINGS_MODULE=bench.settings

bench: install
	@case '$(BENCH_DATABASE_URL)' in postgres://*|postgresql://*) ;; \
	  *) echo "make bench needs PostgreSQL in DATABASE_URL, got $(BENCH_DATABASE_URL)"; exit 1;; esac
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
	$(BENCH_ENV) $(BIN)/python -m bench.generate --ensure-database
	$(BENCH_ENV) $(BIN)/python manage.py migrate --noinput
	$(BENCH_ENV) $(BIN)/python -m bench.generate --n $(N) --seed $(SEED)
	$(BENCH_ENV) $(BIN)/python -m bench.run --seed $(SEED) $(if $(PEER),--peer $(PEER))

# Operations (README, "Operations"): the production server, a load test, the
# security-header grade, and whole-database backups.
.PHONY: serve load observatory lighthouse backup restore fault-postgres

serve: install
	PORT=$(PORT) scripts/serve.sh

# 60 s at 32 connections on loopback; fails on any 5xx.
load: install
	scripts/load.sh

# MDN HTTP Observatory against a local TLS server; fails unless the grade is A+.
observatory: install
	scripts/observatory.sh

# `make backup [BACKUP=path]`, `make restore BACKUP=path` (asks before replacing anything).
BACKUP ?=
backup: install
	$(BIN)/python manage.py backup_database $(BACKUP)

restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=path/to/backup"; exit 1; }
	$(BIN)/python manage.py restore_database $(BACKUP)

# Lighthouse performance (>= 0.95) for home, catalogue and a tool page, production-like on loopback.
lighthouse: install
	scripts/lighthouse.sh

# PostgreSQL stopped under load: 503s, then recovery without a restart (a scratch cluster).
fault-postgres: install
	scripts/fault_postgres.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
