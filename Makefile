# Gongkai — every install step lives here. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export GONGKAI_DATA_DIR ?= $(CURDIR)/data
APT_PACKAGES := chromium fonts-noto-cjk fonts-arphic-gbsn00lp fonts-arphic-uming poppler-utils redis-server graphviz libreoffice-writer-nogui

.PHONY: run test check lint typecheck migrations-check test-pg test-redis bench sysdeps venv clean

# System packages (Debian): the browser for journeys, the CJK font, PDF tools, Redis (the job queue's
# production storage, tested in CI), LibreOffice to open the Word letters as a reader would.
$(VENV)/.sysdeps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@mkdir -p $(VENV) && touch $@

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

sysdeps: $(VENV)/.sysdeps
venv: $(VENV)/.installed

run: sysdeps venv
	$(BIN)/gongkai migrate --no-input
	$(BIN)/gongkai demo
	$(BIN)/gongkai collectstatic --no-input -v 0
	@echo "Gongkai: http://127.0.0.1:$(PORT)/  (workbench: /workbench/, demo staff password: demo-pass-2015)"
	@# The background worker (e-mail, reindexing, reminders) runs beside the web server and stops with it.
	@$(BIN)/gongkai run_huey & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	PORT=$(PORT) GONGKAI_ACCESS_LOG=- $(BIN)/gunicorn -c gongkai/gunicorn_conf.py gongkai.wsgi:application

test: sysdeps venv
	$(BIN)/pytest -n 2 --dist loadgroup -q

lint: venv
	$(BIN)/ruff check gongkai tests bench
	$(BIN)/ruff format --check gongkai tests bench

typecheck: venv
	$(BIN)/mypy gongkai

migrations-check: venv
	GONGKAI_DATA_DIR=$$(mktemp -d) $(BIN)/gongkai makemigrations --check --dry-run

# (The killed-worker tests run their worker on SQLite whatever the database: not again here.)
test-pg: sysdeps venv
	bash .ci/with-postgres $(BIN)/pytest -n 2 --dist loadgroup -q -m "not e2e and not worker"

# Everything that queues a job, with the queue in Redis: the job and outbox tests (a real worker
# killed mid-job included), the jobs page, the jobs of the apps and the e-mails sent through the outbox.
REDIS_TESTS := gongkai/core/tests/test_jobs*.py gongkai/core/tests/test_events*.py gongkai/workbench \
  gongkai/inforequests/tests/test_letter_email_outbox.py gongkai/inforequests/tests/test_reply_email.py \
  gongkai/inforequests/tests/test_correction_letter.py gongkai/inforequests/tests/test_remind.py \
  gongkai/core/tests/test_ratelimit_concurrency.py
test-redis: sysdeps venv
	bash .ci/with-redis $(BIN)/pytest -n 2 --dist loadgroup -q -m "not e2e" $(REDIS_TESTS)

check: lint typecheck migrations-check test test-pg test-redis

bench: venv
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.import_speed
	$(BIN)/python -m bench.web

clean:
	rm -rf $(VENV) data .pytest_cache
