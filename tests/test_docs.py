"""The documentation is true to the code: endpoints it names exist, variables it lists are read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from momentum.api import api

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
ENDPOINT = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE)\s+`?(/api/v1/[A-Za-z0-9_{}/.:-]*)")
VARIABLE_READ = re.compile(r"""["']((?:MOMENTUM|DBOS)_[A-Z0-9_]+|DATABASE_URL|REDIS_URL)["']""")
INTERNAL_VARIABLES = {
    "MOMENTUM_EXTRA_WORKFLOW_MODULES",
    "MOMENTUM_DOTENV",
    "MOMENTUM_TEST_SQLITE_NAME",
    # set by `momentum serve` for its children (momentum/lib/supervisor.py)
    "MOMENTUM_READY_FD",
    "MOMENTUM_SUPERVISOR_STATE",
}


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path.rstrip("/")) or "/"


def _operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api")
    return {(verb.upper(), _shape(path)) for path, item in schema["paths"].items() for verb in item}


def _documented_endpoints() -> list[tuple[str, str, str]]:
    found = []
    for doc in DOCS:
        for verb, path in ENDPOINT.findall(doc.read_text(encoding="utf-8")):
            found.append((doc.relative_to(ROOT).as_posix(), verb, path.rstrip("`.,)")))
    return found


def test_every_endpoint_the_docs_name_exists() -> None:
    operations = _operations()
    missing = [
        f"{doc}: {verb} {path}" for doc, verb, path in _documented_endpoints() if (verb, _shape(path)) not in operations
    ]
    assert not missing, "The docs name endpoints the API does not have:\n" + "\n".join(missing)


def _variables_read_by_code() -> set[str]:
    names: set[str] = {"HOST", "PORT"}
    for source in (ROOT / "momentum").rglob("*.py"):
        if "tests" in source.parts or source.name == "test_settings.py":
            continue
        names.update(VARIABLE_READ.findall(source.read_text(encoding="utf-8")))
    return names - INTERNAL_VARIABLES


@pytest.mark.parametrize("name", sorted(_variables_read_by_code()))
def test_every_variable_is_in_the_readme_table_and_env_example(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert re.search(rf"^\|\s*`{name}`", readme, re.MULTILINE), f"{name} is missing from the README's table"
    assert re.search(rf"^#?\s*{name}=", example, re.MULTILINE), f"{name} is missing from .env.example"


def test_the_committed_openapi_document_matches_the_code() -> None:
    from momentum.platform.project_api import openapi_document

    committed = ROOT / "docs" / "openapi.json"
    assert committed.read_text(encoding="utf-8") == openapi_document(), (
        "run `make openapi` and commit docs/openapi.json"
    )


def test_the_readme_says_how_to_run_the_command_line() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The `momentum` command") :]
    section = section[: section.index("\n## ", 1)]
    # the console script pyproject.toml installs into the virtual environment, named where a new user reads
    assert 'momentum = "momentum.cli:main"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "`.venv/bin/momentum check-config`" in section
    assert "source .venv/bin/activate" in section


def test_every_documented_error_response_shows_the_problem_schema() -> None:
    schema = api.get_openapi_schema(path_prefix="/api")
    shapeless = [
        f"{verb.upper()} {path} {status}"
        for path, item in schema["paths"].items()
        for verb, operation in item.items()
        for status, response in operation["responses"].items()
        if int(status) >= 400 and "schema" not in response.get("content", {}).get("application/problem+json", {})
    ]
    assert not shapeless, "Document errors with momentum.platform.api_problems.problems():\n" + "\n".join(shapeless)
