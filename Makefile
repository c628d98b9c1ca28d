# The two Quick-start commands: `make demo` and `make test`. Both create .venv and install rcbc
# (editable, with its test tools) the first time, and again whenever pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.rcbc-installed

.PHONY: setup demo test test-lit test-unit clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m rcbc.tools.demo

test: test-lit test-unit

test-lit: $(STAMP)
	$(BIN)/lit -sv test

test-unit: $(STAMP)
	$(BIN)/pytest -q test/unit

clean:
	rm -rf build $(VENV)
