"""Every data file inside the package is listed as package data, so an installed wheel has it (the triage
classifier and the answer models were missing from wheels until session 5)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "medcite"

pytestmark = pytest.mark.unit


def test_every_data_file_in_the_package_is_package_data():
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    data = [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in
            p.parts]
    missing = []
    for path in data:
        package = ".".join(path.parent.relative_to(PACKAGE.parent).parts)
        if not any(fnmatch.fnmatch(path.name, pattern) for pattern in listed.get(package, [])):
            missing.append(str(path.relative_to(ROOT)))
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"
