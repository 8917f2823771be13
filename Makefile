# Two entry points: `make run` (set up and start the bot) and `make test` (set up and run the tests).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint bench diagram

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

run: $(VENV)/.installed
	$(PY) main.py run

test: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest -q -n auto

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

diagram: $(VENV)/.installed
	$(PY) main.py flows diagram all

# Full benchmark run (minutes): table on stdout, JSON in data/benchmarks.json. PTB's JobQueue
# (APScheduler) is installed for the memory comparison only, if missing; without it that
# figure is skipped. `python -m benchmarks --quick` is the under-a-minute version.
bench: $(VENV)/.installed
	$(PY) -c "import apscheduler" 2>/dev/null || $(PY) -m pip install --quiet \
		"python-telegram-bot[job-queue]==$$($(PY) -c 'import telegram; print(telegram.__version__)')" \
		|| echo "APScheduler unavailable: the JobQueue memory figure will be skipped"
	$(PY) -m benchmarks
