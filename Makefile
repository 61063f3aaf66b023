# crmsim: `make demo` runs the flagship comparison, `make test` runs the test suite.
# Both create .venv and install the project on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SEEDS  ?= 30

.PHONY: install demo test test-quick lint bench bench-app course clean clean-compiled check-python

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
	  echo "crmsim needs Python 3.12 or newer, but '$(PYTHON)' is: $$($(PYTHON) --version 2>&1)."; \
	  echo "Install Python 3.12 (pyenv install 3.12, or uv python install 3.12, or your package"; \
	  echo "manager's python3.12) and run make again, or point make at it: make PYTHON=python3.12"; \
	  exit 1; }

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/crmsim run flagship --seeds $(SEEDS) --out results/flagship

lint: install
	$(BIN)/ruff check sim tests benchmarks notebooks/*.ipynb notebooks/zh/*.ipynb course/capstone/*.py
	$(BIN)/ruff format --check sim tests benchmarks notebooks/*.ipynb notebooks/zh/*.ipynb course/capstone/*.py

test: install lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup -W error::DeprecationWarning

test-quick: install  # the quick loop: everything but the slow statistical, notebook and wheel tests
	$(BIN)/python -m pytest -n 2 --dist loadgroup -W error::DeprecationWarning -m "not slow"

bench: install
	$(BIN)/python benchmarks/engine_speed.py

bench-app: install  # the browser app in headless chromium (apt-get install -y chromium)
	$(BIN)/python benchmarks/app_speed.py

course: install  # every session's slide deck (HTML) and handout (PDF), English and Chinese
	$(BIN)/crmsim course build --lang all --out build/course

clean: clean-compiled
	rm -rf $(VENV) results .pytest_cache

clean-compiled:  # numba's cached loops: stale after editing code they inline from another file
	find sim -path '*__pycache__*' \( -name '*.nbi' -o -name '*.nbc' \) -delete
