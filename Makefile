# The two Quick-start commands: `make demo` and `make test`. Both create .venv and install rcbc
# (editable, with its test tools) the first time, and again whenever pyproject.toml changes.
# `make bench` runs the benchmarks (bench/run_all.py) and rewrites docs/benchmarks.md and its plots.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.rcbc-installed

.PHONY: setup demo test test-c test-lit test-unit bench c-tools build-c clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m rcbc.tools.demo

test: test-c test-lit test-unit

# Compile time, bytecode size, modeled performance over the tile budget of three CNNs, the C
# engine's dispatch and CV, a profile of the compile: docs/benchmarks.md and docs/bench-*.png.
# About 10 minutes on 2 cores; build/bench keeps the programs and build/bench/results.json the
# figures (`.venv/bin/python bench/run_all.py --from-json` redraws the docs from them).
bench: $(STAMP) build-c
	$(BIN)/python bench/run_all.py

test-lit: $(STAMP)
	$(BIN)/lit -sv test

# The unit tests include rcb-run's conformance with the Python executor (test_rcb_run.py).
test-unit: $(STAMP) build-c
	RCB_RUN=$(CURDIR)/build/runtime/rcb-run $(BIN)/pytest -q test/unit

# ---- the C engine (runtime/) --------------------------------------------------------------------
# c-tools installs what the C tests need and a fresh machine may lack: clang with libFuzzer for
# the fuzz test, the arm-none-eabi cross compiler for the bare-metal build, cmake and ninja. It
# uses apt-get, so only as root; elsewhere it says what is missing and those tests skip.
C_TOOLS := clang:clang,libclang-rt-dev arm-none-eabi-gcc:gcc-arm-none-eabi cmake:cmake ninja:ninja-build

c-tools:
	@missing=""; for pair in $(C_TOOLS); do \
	  tool=$${pair%%:*}; pkgs=$$(echo $${pair#*:} | tr , ' '); \
	  command -v $$tool >/dev/null 2>&1 || missing="$$missing $$pkgs"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "c-tools: installing$$missing"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends $$missing >/dev/null; } \
	  || echo "c-tools: apt-get failed; tests that need$$missing will skip"; \
	else \
	  echo "c-tools: not installing$$missing (needs root and apt-get); tests that need them will skip"; \
	fi

build-c: c-tools
	@gen=""; command -v ninja >/dev/null 2>&1 && gen="-G Ninja"; \
	[ -f build/CMakeCache.txt ] && gen=""; \
	cmake -S . -B build $$gen -DRCBC_VENV=$(CURDIR)/$(VENV) >/dev/null && cmake --build build

test-c: build-c
	cd build && ctest --output-on-failure

clean:
	rm -rf build $(VENV)
