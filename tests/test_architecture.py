"""The architecture's rules that imports cannot show (the import contracts are in pyproject.toml,
checked by ``lint-imports``; docs/adr/0007-import-contracts.md): web modules make no ORM calls, and
views stay short.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from tests.python_sources import parse

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "momentum"
WEB_MODULE = re.compile(r"^(api|views|\w+_api|\w+_views)\.py$")
# A manager, or a query or write method only querysets and models have.
ORM_CALL = re.compile(
    r"\.objects\.|\.(filter|exclude|select_related|prefetch_related|select_for_update|aggregate|annotate"
    r"|get_or_create|update_or_create|bulk_create|bulk_update)\("
)

# Views (decorated functions of web modules: routed, or guarded by an access rule) longer than
# LONG_VIEW lines, measured from ``def`` to the end without the docstring. A ratchet: lower
# MAX_LONG_VIEWS when one is split, never raise it.
LONG_VIEW = 20
MAX_LONG_VIEWS = 6  # measured 2026-12-06, after the typed branch shortened seven


def web_modules() -> list[Path]:
    """Every web module of the apps: api.py, views.py, *_api.py, *_views.py and api/ packages."""
    found = []
    for path in sorted(PACKAGE.glob("*/**/*.py")):
        relative = path.relative_to(PACKAGE)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        if WEB_MODULE.match(path.name) or (len(relative.parts) == 3 and relative.parts[1] == "api"):
            found.append(path)
    return found


def view_lengths(path: Path) -> dict[str, int]:
    """How long each view of ``path`` is, by name."""
    lengths = {}
    for node in parse(path).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.decorator_list:  # routed or guarded
            first = node.body[0]
            docstring = first.end_lineno - first.lineno + 1 if ast.get_docstring(node) and first.end_lineno else 0
            lengths[f"{path.relative_to(ROOT)}::{node.name}"] = (
                (node.end_lineno or node.lineno) - node.lineno + 1 - docstring
            )
    return lengths


def test_the_web_modules_are_found() -> None:
    names = {str(path.relative_to(PACKAGE)) for path in web_modules()}

    assert {"catalog/api/admin.py", "learning/views.py", "recovery/api.py", "accounts/studio_views.py"} <= names


def test_web_modules_make_no_orm_calls() -> None:
    calls = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in web_modules()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ORM_CALL.search(line)
    ]

    assert calls == [], "web modules go through their app's queries and actions:\n" + "\n".join(calls)


def test_no_more_long_views_than_today() -> None:
    long_views = sorted(
        f"{name} ({length} lines)"
        for path in web_modules()
        for name, length in view_lengths(path).items()
        if length > LONG_VIEW
    )

    assert len(long_views) <= MAX_LONG_VIEWS, f"views longer than {LONG_VIEW} lines:\n" + "\n".join(long_views)


def test_every_app_is_in_the_import_contracts() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layers = next(contract for contract in contracts if contract["type"] == "layers")
    apps = {f"momentum.{path.parent.name}" for path in PACKAGE.glob("*/apps.py")}

    assert apps == set(layers["containers"])


def test_every_web_module_is_held_by_the_web_contracts() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    no_workflows = next(c for c in contracts if c["name"] == "web modules import no workflows module")
    own_models = {
        module for c in contracts if c["name"].endswith("web modules import no other app's models")
        for module in c["source_modules"]
    }  # fmt: skip
    modules = {
        ".".join(path.relative_to(ROOT).parts[:3]) if path.relative_to(PACKAGE).parts[1] == "api"
        else ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in web_modules()
        if path.relative_to(PACKAGE).parts[0] != "platform"
    }  # fmt: skip

    assert sorted(modules - set(no_workflows["source_modules"])) == []
    assert sorted(modules - own_models) == []


def test_the_map_in_the_architecture_page_names_every_app_and_only_apps() -> None:
    from django.apps import apps as installed

    page = (ROOT / "docs" / "architecture.md").read_text()
    map_block = page.split("## Map of layers and apps", 1)[1].split("```")[1]
    on_map = {name for line in map_block.splitlines() if "apps:" in line for name in line.split("apps:", 1)[1].split()}
    momentum_apps = {config.label for config in installed.get_app_configs() if config.name.startswith("momentum.")}

    assert [name for name in sorted(on_map) if not (PACKAGE / name / "__init__.py").is_file()] == []
    assert on_map == momentum_apps


def test_notifications_are_written_only_by_accounts_do_notify() -> None:
    writers = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.glob("*/**/*.py"))
        if "tests" not in path.parts and path.relative_to(PACKAGE).parts[0] != "accounts"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "Notification.objects." in line or "Notification(" in line
    ]

    assert writers == [], "send in-app notices with momentum.accounts.actions.do_notify:\n" + "\n".join(writers)


AUDIT_CALLS = {"do_record_audit", "audit", "_audit"}


def _literal_audit_actions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(parse(path)):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        first = node.args[0]
        branches = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
        if name in AUDIT_CALLS and any(isinstance(branch, ast.Constant | ast.JoinedStr) for branch in branches):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_audited_actions_are_members_of_their_apps_audit_action_enum() -> None:
    literals = [
        place
        for path in sorted(PACKAGE.glob("*/**/*.py"))
        if "tests" not in path.parts and path.relative_to(PACKAGE).parts[0] != "ops"
        for place in _literal_audit_actions(path)
    ]

    assert literals == [], "record an app's AuditAction member (momentum/<app>/audit_actions.py):\n" + "\n".join(
        literals
    )


def test_no_two_apps_share_an_audit_action() -> None:
    values: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.glob("*/audit_actions.py")):
        for node in ast.walk(parse(path)):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                values.setdefault(node.value.value, []).append(path.parent.name)

    assert {value: apps for value, apps in values.items() if len(apps) > 1} == {}
