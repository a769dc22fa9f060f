"""Payment providers import no models and no app but ``lib``: they are told about our records
in plain data and answer with signed events, which billing applies (issue 15's import contract)."""

from __future__ import annotations

import ast
from pathlib import Path

from momentum.billing import providers
from momentum.billing.models import Provider
from tests.python_sources import parse

PROVIDERS = Path(providers.__file__).parent
ALLOWED = ("momentum.lib", "momentum.billing.providers")


def momentum_imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = (
                [node.module]
                if node.module != "momentum.billing"
                else [f"momentum.billing.{a.name}" for a in node.names]
            )
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        names += [module for module in modules if module.startswith("momentum")]
    return names


def test_providers_import_no_models_and_no_app_but_lib() -> None:
    imported = {name for path in PROVIDERS.glob("*.py") for name in momentum_imports(path)}
    assert imported, "the check reads the providers' imports"
    assert [name for name in sorted(imported) if not name.startswith(ALLOWED)] == []


def test_the_providers_names_are_the_ones_records_keep() -> None:
    assert {providers.SANDBOX, providers.STRIPE} == set(Provider.values)
