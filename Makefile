# Neural network from scratch: set up, serve, test.
# Needs only GNU make and Python 3.11 (python3 as a fallback); everything else is installed here.
#
#   make run                                  serve http://localhost:8501
#   make run ARGS="--server.address 0.0.0.0"  serve the whole classroom
#   make test                                 ruff + the whole pytest suite, browser tests included

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
ARGS ?=
CHROMIUM := /usr/bin/chromium

# Stamp files: re-running is instant, and editing a requirements file re-installs.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: help run test lint format bench chromium clean distclean

help:
	@echo "make run     set up .venv and serve the dashboard on http://localhost:$(PORT)"
	@echo "             (classroom: make run ARGS=\"--server.address 0.0.0.0\")"
	@echo "make test    set up, then ruff check + pytest (unit, AppTest and browser tests)"
	@echo "make lint    ruff check + ruff format --check"
	@echo "make bench   run the scripts in benchmarks/"
	@echo "make clean   remove caches and test artifacts (distclean also removes .venv)"

$(PY):
	@test -n "$(PYTHON)" || { echo "error: need python3.11 (or python3) on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements-dev.txt requirements-distributed.txt requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-distributed.txt
	@touch $@ $(RUN_STAMP)

$(BENCH_STAMP): requirements-bench.txt requirements-dev.txt requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-bench.txt
	@touch $@ $(DEV_STAMP) $(RUN_STAMP)

run: $(RUN_STAMP)
	@echo "Serving http://localhost:$(PORT)  (stop with Ctrl+C)"
	@echo "Classroom: make run ARGS=\"--server.address 0.0.0.0\", students open http://$$(hostname -I 2>/dev/null | cut -d' ' -f1 | grep . || echo '<this-machine-ip>'):$(PORT)"
	$(PY) -m streamlit run dashboard.py --server.port $(PORT) $(ARGS)

# The browser tests drive Debian's chromium through Playwright (no `playwright install`).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  else \
	    echo "error: $(CHROMIUM) is missing; the browser tests need Debian's chromium." >&2; \
	    echo "       install it with: sudo apt-get update && sudo apt-get install -y chromium" >&2; \
	    exit 1; \
	  fi; \
	fi

test: $(DEV_STAMP) chromium
	$(PY) -m ruff check .
	$(PY) -m pytest

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

clean:
	rm -rf .pytest_cache .ruff_cache tests/artifacts test-results
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
