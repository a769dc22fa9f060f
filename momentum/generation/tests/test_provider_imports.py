"""Providers are adapters: they import their own base and ``momentum.lib``, never a model or another
app's module (until import-linter checks the whole layering, this test checks this one rule)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.python_sources import parse

PROVIDERS = Path(__file__).resolve().parents[1] / "providers"
ALLOWED = ("momentum.generation.providers", "momentum.lib")


def _momentum_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name == "momentum" or name.startswith("momentum.")}


def test_providers_import_nothing_but_their_base_and_lib() -> None:
    modules = sorted(PROVIDERS.rglob("*.py"))
    assert {path.parent.name for path in modules} >= {"providers", "offline", "remote"}

    outside = {
        f"{path.relative_to(PROVIDERS)}: {name}"
        for path in modules
        for name in _momentum_imports(path)
        if not name.startswith(ALLOWED)
    }

    assert outside == set()
