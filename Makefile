# SCORE Portal. Two commands matter: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
# `make run PORT=8080` serves on another port.
PORT ?= 8000
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
                   poppler-utils gettext
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test test-embedded check system-deps browser-deps deps messages migrate seed lint \
        check-deploy bench backup restore load clean

## Install, migrate, load demo data and serve on http://127.0.0.1:$(PORT) with a worker and beat.
run: deps messages migrate seed
	@echo "Serving the SCORE Portal on http://127.0.0.1:$(PORT) (Ctrl-C stops web, worker and beat)"
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" BIND_ADDRESS=127.0.0.1 WEB_CONCURRENCY=2 GUNICORN_CMD_ARGS="--reload" \
		$(VENV)/bin/honcho start -f Procfile -p $(PORT)

## The whole suite (PostgreSQL/Redis when DATABASE_URL/CELERY_BROKER_URL are set, else SQLite),
## browser tests included (they need /usr/bin/chromium: `make browser-deps`; skipped without it),
## in two lanes side by side (tests/run-suite). `make test ARGS="-k walk"` narrows both.
test: deps messages
	bash tests/run-suite $(ARGS)

## The SQLite pass of CI (the embedded default): migrations from empty, seed_demo, jobs, the
## upgrade path, one page per app and role (tests marked "embedded"). DATABASE_URL is ignored.
test-embedded: deps messages
	env -u DATABASE_URL -u CELERY_BROKER_URL CACHE_URL=locmem:// \
		VAR_DIR="$${EMBEDDED_VAR_DIR:-$$(mktemp -d)}" \
		TEST_REDIS_URL="$${TEST_REDIS_URL:-redis://127.0.0.1:6379/14}" \
		$(VENV)/bin/pytest -q -p no:cacheprovider -m embedded $(ARGS)

## Every static check, fastest first; .ci/run runs it before any test, and so does the
## pre-commit hook (.pre-commit-config.yaml).
check: deps messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/lint-imports
	msgfmt --check -o /dev/null locale/zh_Hans/LC_MESSAGES/django.po
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(MAKE) -s check-deploy
	$(VENV)/bin/mypy score_portal catalogue enterprises

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

## Debian's Chromium for the browser tests (~370 MB; not needed to run the portal).
browser-deps:
	@dpkg -s chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }

$(VENV)/.installed: pyproject.toml
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || $(MAKE) system-deps
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[dev]"
	touch $@

deps: $(VENV)/.installed

messages: deps
	$(PY) manage.py compilemessages -v 0 --ignore=.venv --ignore=var

migrate: deps
	$(PY) manage.py migrate --no-input -v 0

seed: deps
	$(PY) manage.py seed_demo

lint: check

## Pages at seed_demo --scale large beside the admin changelist (PAGES_ARGS="--key-pages": only
## the dashboards and homes), then time and memory of building and rendering reports over N
## enterprises (BENCH_ARGS="--enterprises 200").
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/score_bench
bench: deps messages
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/pages.py $(PAGES_ARGS)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/report_bench.py $(BENCH_ARGS)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/import_bench.py

## Back up the PostgreSQL database (DATABASE_URL) and MEDIA_ROOT into BACKUP_DIR/<timestamp>/.
backup: deps
	$(PY) manage.py backup

## Restore a backup folder: make restore BACKUP=var/backups/20260301T020000000000Z
restore: deps
	@[ -n "$(BACKUP)" ] || { echo "usage: make restore BACKUP=path/to/backup-folder"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)"

## Load test: gunicorn (4 workers) on 127.0.0.1:8765 against DATABASE_URL (PostgreSQL),
## locust with 50 users for 60 s; prints requests/s, p95 and errors.
load: deps messages
	bash bench/load.sh

check-deploy: deps
	DJANGO_ENV=production SECRET_KEY=ci-$$(openssl rand -hex 32) ALLOWED_HOSTS=portal.example.org \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache
