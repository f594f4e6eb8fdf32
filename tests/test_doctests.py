"""The usage examples in module docstrings run: an example that no longer matches the code fails here, not in a
reader's session (two had drifted unnoticed before this test)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import medcite

pytestmark = pytest.mark.unit

MODULES = sorted(m.name for m in pkgutil.walk_packages(medcite.__path__, "medcite.") if not m.ispkg)
SKIP = {"medcite.__main__"}


def with_examples() -> list[str]:
    return [name for name in MODULES if name not in SKIP]


@pytest.mark.parametrize("name", with_examples())
def test_docstring_examples_run(name):
    try:
        module = importlib.import_module(name)
    except ImportError as exc:  # an optional extra not installed (e.g. the LLM client): nothing to run
        pytest.skip(f"{name}: {exc}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} docstring examples failed"
