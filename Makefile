# Zhicheng platform - developer entry points (GNU make).
#   make run            SQLite + eager Celery dev server on http://127.0.0.1:8000 (demo data loaded)
#   make test           pytest (extra args: make test PYTEST_ARGS="-k foo -n 2")
#   make lint           ruff
#   make lock           re-lock requirements/*.txt from pyproject.toml (scripts/lock.sh)
#   make services-up    local PostgreSQL (55432) + Redis (56379); then: eval "$$(scripts/services.sh env)"
#   make worker / beat  Celery worker / beat (need REDIS_URL)
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_BOOT ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
PY          := $(BIN)/python
PYTEST_ARGS ?=

# The locks (scripts/lock.sh): each is complete, hashed, and agrees with the others on every version.
#   runtime  what the site needs (the production image installs it alone)   run, migrate, worker ...
#   test     runtime + test + browser                                       test
#   dev      test + ruff                                                    venv, lint (.ci/run)
#   bench    runtime + Locust                                               bench, bench-data, load
RUNTIME := $(VENV)/.installed-runtime
TEST    := $(VENV)/.installed-test
DEV     := $(VENV)/.installed-dev
BENCH   := $(VENV)/.installed-bench

.PHONY: help venv run migrate static demo worker beat test lint lock bench bench-data load services-up services-down services-env clean

help:
	@echo "targets: venv run migrate static demo worker beat test lint lock bench bench-data load services-up services-down services-env clean"

$(PY):
	$(PYTHON_BOOT) -m venv $(VENV)

# Re-install only when the lock is newer than its stamp.
$(VENV)/.installed-%: requirements/%.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q --require-hashes -r $<
	@touch $@

venv: $(DEV)

migrate: $(RUNTIME)
	$(PY) manage.py migrate --noinput

static: $(RUNTIME)
	$(PY) manage.py collectstatic --noinput -v 0

demo: $(RUNTIME)
	$(PY) manage.py load_demo

# One line if an optional system package is missing (Pango, HarfBuzz-Subset, Chromium), then the site.
run: $(RUNTIME)
	@$(PY) scripts/check_system_packages.py
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

worker: $(RUNTIME)
	$(BIN)/celery -A config worker -l info

beat: $(RUNTIME)
	$(BIN)/celery -A config beat -l info

# pytest exit codes: 0 ok, 1 failures, 5 = no tests collected -> must fail too.
test: $(TEST)
	@rc=0; $(BIN)/pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests (exit 5) - failing" >&2; fi; \
	exit $$rc

lint: $(DEV)
	$(BIN)/ruff check .

lock:
	bash scripts/lock.sh

bench: $(BENCH)
	$(PY) benchmarks/run_all.py

# Deadline-scale data (needs DATABASE_URL on an empty PostgreSQL database; ~2-6 min) and the load test
# (gunicorn + Locust headless; needs that database and REDIS_URL). Reports go to benchmarks/results/.
bench-data: $(BENCH)
	$(PY) benchmarks/generate.py --scale full --rush 1800

load: $(BENCH)
	$(PY) benchmarks/load.py --runs 3

services-up:
	bash scripts/services.sh start
	@bash scripts/services.sh env

services-down:
	bash scripts/services.sh stop

services-env:
	@bash scripts/services.sh env

clean:
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -print0 | xargs -0 rm -rf
	rm -rf .pytest_cache .ruff_cache
