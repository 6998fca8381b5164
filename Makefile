# Zhicheng platform - developer entry points (GNU make).
#   make run            SQLite + eager Celery dev server on http://127.0.0.1:8000 (demo data loaded)
#   make test           pytest (extra args: make test PYTEST_ARGS="-k foo -n 2")
#   make lint           ruff
#   make services-up    local PostgreSQL (55432) + Redis (56379); then: eval "$$(scripts/services.sh env)"
#   make worker / beat  Celery worker / beat (need REDIS_URL)
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_BOOT ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
PY          := $(BIN)/python
STAMP       := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: help venv run migrate static demo worker beat test lint bench bench-data load services-up services-down services-env clean

help:
	@echo "targets: venv run migrate static demo worker beat test lint bench bench-data load services-up services-down services-env clean"

$(PY):
	$(PYTHON_BOOT) -m venv $(VENV)

# Re-install only when requirements.txt is newer than the stamp.
$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(PY) manage.py migrate --noinput

static: venv
	$(PY) manage.py collectstatic --noinput -v 0

demo: venv
	$(PY) manage.py load_demo

run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

worker: venv
	$(BIN)/celery -A config worker -l info

beat: venv
	$(BIN)/celery -A config beat -l info

# pytest exit codes: 0 ok, 1 failures, 5 = no tests collected -> must fail too.
test: venv
	@rc=0; $(BIN)/pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests (exit 5) - failing" >&2; fi; \
	exit $$rc

lint: venv
	$(BIN)/ruff check .

bench: venv
	$(PY) benchmarks/run_all.py

# Deadline-scale data (needs DATABASE_URL on an empty PostgreSQL database; ~2-6 min) and the load test
# (gunicorn + Locust headless; needs that database and REDIS_URL). Reports go to benchmarks/results/.
bench-data: venv
	$(PY) benchmarks/generate.py --scale full --rush 1800

load: venv
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
