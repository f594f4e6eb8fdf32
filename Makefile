# Set-up and everyday commands. Everything installs into .venv; nothing is needed beforehand but python3.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: install demo test test-slow lint docs clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch==2.13.0 is the CPU wheel on local disk; pinning it keeps pip from pulling CUDA builds.
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: install
	$(BIN)/medcite demo

test: install
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
