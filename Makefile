# Neural network from scratch: set up, serve, test.
# Needs only GNU make and Python 3.11 (python3 as a fallback); everything else is installed here.
#
#   make run                                  serve http://localhost:8501
#   make run ARGS="--server.address 0.0.0.0"  serve the whole classroom
#   make class REPLICAS=4                     as make run, from 4 Streamlit processes behind nginx
#   make check                                ruff + the tests without browser or Dask cluster
#   make test                                 ruff + the whole pytest suite, browser tests included

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
ARGS ?=
# The class data folder (board and server secret); empty: NN_DATA_DIR, else classroom-data/.
DATA_DIR ?=
CHROMIUM := /usr/bin/chromium
# make class: how many Streamlit processes serve the class behind nginx (serve.py --replicas).
REPLICAS ?= 2
NGINX := /usr/sbin/nginx

# Exact versions with hashes, compiled from pyproject.toml by `make lock`: requirements.lock for
# running the dashboard, requirements-dev.lock adds the dev and distributed extras (same pins).
RUN_LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
# Offline classroom: once `make wheelhouse` has filled wheelhouse/, installs read only from it
# (docs/install.md). Override with WHEELS_FROM= to use the registry again.
WHEELHOUSE := wheelhouse
WHEELS_FROM ?= $(if $(wildcard $(WHEELHOUSE)/*.whl),--no-index --find-links $(WHEELHOUSE),)
PIP_INSTALL = $(PY) -m pip install --quiet --require-hashes $(WHEELS_FROM)
# What `make lock` resolves for: the classroom's and CI's machines. LOCK_ARGS="--upgrade" (or
# --upgrade-package NAME) moves pins; without it, pins already in the lock files stay.
LOCK_ARGS ?=
LOCK_FOR := --python-version 3.11 --python-platform x86_64-unknown-linux-gnu --generate-hashes \
	--custom-compile-command "make lock" --quiet

# Stamp files: re-running is instant, and editing a lock file re-installs.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: help run class check test lint format bench lock wheelhouse chromium postgresql nginx clean \
	distclean

help:
	@echo "make run         set up .venv, serve the dashboard on http://localhost:$(PORT) and print"
	@echo "                 the teacher link (classroom: make run ARGS=\"--server.address 0.0.0.0\";"
	@echo "                 class data: classroom-data/ or DATA_DIR=/path; TEACHER_TOKEN fixes the token)"
	@echo "make class       as make run, from REPLICAS=$(REPLICAS) Streamlit processes behind nginx at one"
	@echo "                 address, each browser on one of them (installs Debian's nginx if missing)"
	@echo "make check       quick loop: ruff check + pytest without browser and cluster tests"
	@echo "                 (quicker: .venv/bin/python -m pytest -m 'not browser and not cluster and not slow')"
	@echo "make test        set up, then ruff check + pytest (unit, AppTest and browser tests)"
	@echo "make lint        ruff check + ruff format --check"
	@echo "make bench       run the scripts in benchmarks/ (installs torch==2.13.0)"
	@echo "make lock        re-compile requirements*.lock from pyproject.toml (LOCK_ARGS=--upgrade)"
	@echo "make wheelhouse  download every wheel of the locks into wheelhouse/ (offline installs)"
	@echo "make clean       remove caches and test artifacts (distclean also removes .venv)"

$(PY):
	@test -n "$(PYTHON)" || { echo "error: need python3.11 (or python3) on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The project itself is not installed into .venv: everything runs from the repo root, where
# `streamlit run dashboard.py`, pytest (pythonpath ".") and PYTHONPATH=. find the packages.
$(RUN_STAMP): $(RUN_LOCK) | $(PY)
	$(PIP_INSTALL) -r $(RUN_LOCK)
	@touch $@

$(DEV_STAMP): $(DEV_LOCK) $(RUN_LOCK) | $(PY)
	$(PIP_INSTALL) -r $(DEV_LOCK)
	@touch $@ $(RUN_STAMP)

# torch==2.13.0 only, as pyproject's bench extra: its CPU build lies on these machines' disk.
$(BENCH_STAMP): requirements-bench.txt $(DEV_STAMP)
	$(PY) -m pip install --quiet -r requirements-bench.txt
	@touch $@

# serve.py checks the teacher token and the class data folder, prints the addresses and the
# teacher link, then becomes `streamlit run dashboard.py` (the token stays off its command line).
run: $(RUN_STAMP)
	@$(PY) serve.py --port $(PORT) $(if $(DATA_DIR),--data-dir "$(DATA_DIR)") $(ARGS)

# serve.py --replicas: N Streamlit processes on loopback ports and nginx in front of them on
# PORT, each browser kept on one (serving/, docs/classroom.md); Ctrl+C stops them all.
class: $(RUN_STAMP) nginx
	@$(PY) serve.py --replicas $(REPLICAS) --port $(PORT) $(if $(DATA_DIR),--data-dir "$(DATA_DIR)") $(ARGS)

# $(call apt_package,PACKAGE,PRESENT,WHO NEEDS IT): install Debian's PACKAGE unless PRESENT (a
# file that exists once it is installed); as root with apt, else say the command and stop.
define apt_package
	@if [ -z "$(wildcard $(2))" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(1); \
	  else \
	    echo "error: Debian's $(1) is missing; $(3) need it." >&2; \
	    echo "       install it with: sudo apt-get update && sudo apt-get install -y $(1)" >&2; \
	    exit 1; \
	  fi; \
	fi
endef

# serve.py runs its own nginx (its files in a temporary folder); Debian's package also starts a
# system nginx on port 80, which `systemctl disable --now nginx` stops if it is not wanted.
nginx:
	$(call apt_package,nginx,$(NGINX),make class and its tests)

# The browser tests drive Debian's chromium through Playwright (no `playwright install`).
chromium:
	$(call apt_package,chromium,$(CHROMIUM),the browser tests)

# The class store's tests start their own PostgreSQL server from Debian's programs
# (tests/classroom/conftest.py); installing the package is all they need.
postgresql:
	$(call apt_package,postgresql,/usr/lib/postgresql/*/bin/initdb,the class store's tests)

# Markers are applied in tests/conftest.py. Two pytest-xdist workers: the machines have 2 cores.
# The browser and cluster tests run in one process after the rest: they share one dashboard
# server (tests/e2e/conftest.py) and start their own Dask workers.
CHECK_WORKERS ?= 2
test: $(DEV_STAMP) chromium postgresql nginx
	$(PY) -m ruff check .
	$(PY) -m pytest -q -n $(CHECK_WORKERS) -m "not browser and not cluster"
	$(PY) -m pytest -m "browser or cluster"

check: $(DEV_STAMP) postgresql nginx
	$(PY) -m ruff check .
	$(PY) -m pytest -q -n $(CHECK_WORKERS) -m "not browser and not cluster"

lint: $(DEV_STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(DEV_STAMP)
	$(PY) -m ruff format .

bench: $(BENCH_STAMP)
	@shopt -s nullglob; scripts=(benchmarks/*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "no benchmarks/*.py yet"; fi; \
	for script in "$${scripts[@]}"; do \
	  echo "== $$script"; PYTHONPATH=. $(PY) "$$script" || exit 1; \
	done

# The run lock is compiled under the dev lock's pins, so the two never disagree.
lock: $(DEV_STAMP)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --extra distributed $(LOCK_FOR) \
	  $(LOCK_ARGS) -o $(DEV_LOCK)
	$(VENV)/bin/uv pip compile pyproject.toml -c $(DEV_LOCK) $(LOCK_FOR) -o $(RUN_LOCK)

# Wheels for this machine's kind (CPython 3.11, Linux x86_64), checked against the locks' hashes.
# The dev lock holds every run pin too, so one download covers both installs.
wheelhouse: $(WHEELHOUSE)/.downloaded

$(WHEELHOUSE)/.downloaded: $(DEV_LOCK) $(RUN_LOCK) | $(PY)
	$(PY) -m pip download --quiet --require-hashes --only-binary=:all: --dest $(WHEELHOUSE) \
	  -r $(DEV_LOCK)
	@touch $@
	@echo "$$(ls $(WHEELHOUSE)/*.whl | wc -l) wheels, $$(du -sh $(WHEELHOUSE) | cut -f1) in $(WHEELHOUSE)/"

clean:
	rm -rf .pytest_cache .ruff_cache tests/artifacts test-results build *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
