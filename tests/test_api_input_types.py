"""API input is judged like the contract says (../shared/API.md, Conventions): booleans in bodies are
JSON booleans, query parameters are validated like bodies, a bad email address is said in words.

The body check walks every operation's body schema from the ninja router, so a new ``bool`` field
that would take ``"yes"`` for true fails here until it is a ``JsonBool`` (momentum/lib/input_types.py).
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Annotated, Any

import pydantic
import pytest
from pydantic import TypeAdapter
from pydantic.fields import FieldInfo

from conftest import ApiClient
from momentum.accounts.models import User
from momentum.api import api
from momentum.lib.input_types import INVALID_EMAIL

pytestmark = pytest.mark.django_db


def _types_in(annotation: Any) -> Iterator[Any]:
    yield annotation
    for argument in typing.get_args(annotation):
        yield from _types_in(argument)


def _refuses_a_string(field: FieldInfo) -> bool:
    try:
        annotation: Any = Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
        TypeAdapter(annotation).validate_python("yes")
    except pydantic.ValidationError:
        return True
    return False


def body_booleans() -> Iterator[tuple[str, str, bool]]:
    """(operation, field, strict) for every bool field of every body, nested ones included."""
    seen: set[type] = set()

    def walk(model: type[pydantic.BaseModel], where: str) -> Iterator[tuple[str, str, bool]]:
        for name, field in model.model_fields.items():
            for kind in _types_in(field.annotation):
                if kind is bool:
                    yield where, f"{model.__name__}.{name}", _refuses_a_string(field)
                elif isinstance(kind, type) and issubclass(kind, pydantic.BaseModel) and kind not in seen:
                    seen.add(kind)
                    yield from walk(kind, where)

    for router in api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for model in operation.models:
                    if model.__ninja_param_source__ in ("body", "form"):
                        yield from walk(model, f"{'/'.join(operation.methods)} {path}")


BODY_BOOLEANS = sorted(set(body_booleans()))


def test_the_walk_finds_the_body_booleans() -> None:
    assert ("PUT /courses/{course}/lessons/{lesson}/progress", "ProgressIn.completed", True) in BODY_BOOLEANS


@pytest.mark.parametrize(("operation", "field", "strict"), BODY_BOOLEANS, ids=[f for _, f, _ in BODY_BOOLEANS])
def test_every_boolean_in_a_body_takes_only_true_or_false(operation: str, field: str, strict: bool) -> None:
    assert strict, f'{operation}: {field} is a plain bool (takes "yes"); make it a JsonBool'


def test_a_string_for_a_boolean_is_refused_naming_the_field(learner: User) -> None:
    from tests.factories import make_course, make_history

    course = make_course("Strict booleans", slug="strict-bools")
    make_history(learner, course)
    lesson = course.lessons.get(day=1)

    response = ApiClient(learner).put(f"/courses/{course.slug}/lessons/{lesson.pk}/progress", {"completed": "yes"})

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["completed"]


def test_a_json_boolean_is_still_taken(learner: User) -> None:
    response = ApiClient(learner).patch("/me", {"reminder_emails": False})

    assert response.status_code == 200
    assert ApiClient(learner).patch("/me", {"reminder_emails": "false"}).status_code == 422


def test_a_bad_email_address_is_refused_in_words(api: Any) -> None:
    response = api.post("/auth/register", {"email": "not an address@", "password": "a-long-password-42"})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "email", "message": INVALID_EMAIL, "rule": "email"}]
    assert "^" not in response.json()["detail"]


# --- Query parameters ---------------------------------------------------------------------------------


def query_parameters() -> Iterator[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema(path_prefix="/api")
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is None or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                yield path, parameter["name"], _resolved(schema, parameter.get("schema", {}))


def _resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The parameter's schema with $ref, anyOf-null and allOf unwrapped."""
    if "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    for key in ("anyOf", "allOf"):
        for option in node.get(key, []):
            if option.get("type") != "null":
                return {**_resolved(schema, option), **{k: v for k, v in node.items() if k != key}}
    return node


QUERY_PARAMETERS = sorted(query_parameters(), key=lambda found: (found[0], found[1]))
CONSTRAINTS = ("maxLength", "enum", "maximum", "pattern", "format")


def bad_value(rules: dict[str, Any]) -> str | None:
    numbers = [value for value in rules.get("enum", []) if isinstance(value, int)]
    if numbers:
        return str(max(numbers) + 1)
    if "enum" in rules or "pattern" in rules:
        return "wizard"
    if rules.get("type") == "integer":
        return str(rules["maximum"] + 1) if "maximum" in rules else "many"
    if rules.get("format") in ("date", "date-time"):
        return "yesterday"
    if rules.get("type") == "boolean":
        return "perhaps"
    return None


@pytest.mark.parametrize(("path", "name", "rules"), QUERY_PARAMETERS, ids=[f"{p}?{n}" for p, n, _ in QUERY_PARAMETERS])
def test_every_query_parameter_has_rules(path: str, name: str, rules: dict[str, Any]) -> None:
    """Free text is bounded; everything else is an enum, a bounded number, a date or a boolean."""
    assert rules.get("type") == "boolean" or any(key in rules for key in CONSTRAINTS), f"{path}?{name}: {rules}"
    if rules.get("type") == "integer":
        assert "maximum" in rules or "enum" in rules, f"{path}?{name} takes any integer: {rules}"


JUDGED = [(path, name, value) for path, name, rules in QUERY_PARAMETERS if (value := bad_value(rules)) is not None]


@pytest.mark.parametrize(("path", "name", "value"), JUDGED, ids=[f"{p}?{n}={v}" for p, n, v in JUDGED])
def test_a_bad_query_parameter_is_refused_naming_it(admin: User, path: str, name: str, value: str) -> None:
    required = {"metric": "signups"} if path.endswith("/timeseries") and name != "metric" else {}

    response = ApiClient(admin).get(path, {**required, name: value})

    assert response.status_code == 422, f"{path}?{name}={value}: {response.status_code}"
    assert [error["field"] for error in response.json()["errors"]] == [name]


@pytest.mark.parametrize(
    ("query", "field"),
    [("level=wizard", "level"), ("duration_days=5", "duration_days"), ("duration_days=abc", "duration_days"),
     ("sort=bogus", "sort")],
)  # fmt: skip
def test_a_catalogue_filter_that_matches_no_rule_is_refused(api: Any, query: str, field: str) -> None:
    response = api.get(f"/courses?{query}")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert field in response.json()["detail"]


def test_catalogue_filters_still_take_any_case_of_a_level(api: Any) -> None:
    from tests.factories import make_course

    make_course("For beginners", slug="beginner-course")

    for level in ("beginner", "BEGINNER"):
        assert api.get(f"/courses?level={level}&duration_days=7").status_code == 200
