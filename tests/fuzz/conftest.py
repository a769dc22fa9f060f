"""Schemathesis fuzzes every operation of /api/openapi.json, as a stranger, a learner and an admin.

The app runs in this process (Django's WSGI handler) against the suite's database, over a small
real catalogue, so generated requests meet real courses, lessons and accounts about half the
time. Each response must not be a 5xx, must carry a status code the operation documents, and
must match the documented schema and content type. ``MOMENTUM_FUZZ_EXAMPLES`` sets the examples
per operation and generation mode (``make fuzz`` raises it; EXAMPLES below gives `make test`'s two
passes); each example goes out as each persona.
Besides these random phases, Schemathesis' coverage phase (``coverage``: boundary values,
malformed content types, unusual Unicode in path and query parameters) runs on every operation,
as the admin in ``make test`` and as every persona in ``make fuzz``.
The operations are split over two test modules per kind so that the suite's two workers share them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.overrides import Override
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from momentum.accounts.models import Role
from tests.factories import make_user

# The PostgreSQL + Redis pass of `make test` sends 8 random examples per operation and mode, where
# the SQLite pass sends 15: a third to a half less of the fuzz's time there (-n 2, admin operations
# 72.7 s -> 48.0 s, learner operations 117.5 s -> 63.3 s). The coverage phase, whose boundary
# values (lengths, big integers, unusual Unicode) are where the two databases answer differently,
# runs whole in both passes.
EXAMPLES = int(os.environ.get("MOMENTUM_FUZZ_EXAMPLES", "8" if connection.vendor == "postgresql" else "15"))
EVERY_PERSONA = os.environ.get("MOMENTUM_FUZZ_EVERY_PERSONA") == "1"
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
REQUESTS = {"count": 0}
# Real objects of the running test's database, drawn into path parameters half the time.
REAL: dict[str, list[Any]] = {}


def _load_schema() -> Any:
    from momentum.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = WSGIHandler()
    return loaded


schema = _load_schema()


@schema.hook("flatmap_path_parameters")
def _real_objects_half_the_time(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    if not path_parameters:
        return st.just(path_parameters)
    if {"course", "lesson"} <= path_parameters.keys():  # a lesson of that very course
        pairs = st.sampled_from(REAL["course_lesson"])
        return st.one_of(st.just(path_parameters), pairs.map(lambda p: {"course": p[0], "lesson": p[1]}))
    real = {name: st.sampled_from(REAL[name]) for name in path_parameters if REAL.get(name)}
    if not real:
        return st.just(path_parameters)
    return st.one_of(st.just(path_parameters), st.fixed_dictionaries(real).map(lambda r: {**path_parameters, **r}))


def operations(*, admin_side: bool) -> list[Any]:
    """The operations of the studio and operations side, or of the learner side."""
    found = [result.ok() for result in schema.get_all_operations()]
    studio = ("/api/v1/admin/", "/api/v1/auth/", "/api/v1/me")
    return [op for op in found if op.path.startswith(studio) == admin_side]


@pytest.fixture(autouse=True)
def _in_process_app(settings: Any) -> Iterator[None]:
    """Serve as Django's test client does: the test's connection stays open between requests."""
    # Fuzzing sends thousands of requests a minute from one address and one account.
    settings.RATELIMIT_ANON = settings.RATELIMIT_USER = settings.RATELIMIT_ADMIN = (1_000_000, 60)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def personas(db: None) -> dict[str, dict[str, str]]:
    """The headers each persona sends (none, a learner's bearer token, an admin's) over a small catalogue."""
    from momentum.accounts.tokens import issue_access_token
    from momentum.learning.actions import do_enroll
    from momentum.recovery.models import BackupRun
    from tests.factories import make_course

    learner = make_user("fuzz.learner@example.com", display_name="Fuzz Learner")
    admin = make_user("fuzz.admin@example.com", role=Role.ADMIN, display_name="Fuzz Admin")
    enrolled = make_course("Fuzzing for a week", duration_days=7)
    premium = make_course("Premium fuzz", duration_days=7, is_premium=True, price_cents=900)
    draft = make_course("A draft", duration_days=7, status="DRAFT")
    do_enroll(learner, enrolled)
    REAL.clear()
    REAL["course"] = [enrolled.slug, premium.slug, draft.slug]
    REAL["course_lesson"] = [(c.slug, lesson.pk) for c in (enrolled, premium, draft) for lesson in c.lessons.all()[:3]]
    REAL["user_id"] = [learner.pk, admin.pk]
    REAL["run_id"] = list(BackupRun.objects.values_list("pk", flat=True))
    return {
        "anonymous": {},
        "learner": {"Authorization": f"Bearer {issue_access_token(learner)}"},
        "admin": {"Authorization": f"Bearer {issue_access_token(admin)}"},
    }


def fuzz(operation: Any, personas: dict[str, dict[str, str]]) -> None:
    """Valid and invalid requests to ``operation``, each sent as every persona, every answer checked."""
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE, hooks=schema.hooks),
        operation.as_strategy(GenerationMode.NEGATIVE, hooks=schema.hooks),
    )

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=EXAMPLES * 2,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def each(case: Any) -> None:
        for headers in personas.values():  # the same request, from each side of the access policy
            REQUESTS["count"] += 1
            case.call_and_validate(headers=headers, checks=CHECKS)

    each()


# Unusual Unicode the coverage phase leaves out for a plain string: digits that str.isdigit()
# accepts and int() refuses ("³") or reads ("١٢"), a number past every integer column, a letter
# outside ASCII, a character outside the Basic Multilingual Plane, a right-to-left override.
UNUSUAL_TEXT = ["³", "١٢", "9" * 30, "é", "\U0001f600", "\u202e"]
# Bodies whose framing is malformed, sent to every operation that takes a body: the coverage
# phase's own "multipart without a boundary" case carries no body, which Django never parses.
MALFORMED_FRAMINGS = ["multipart/form-data", "multipart/form-data; boundary=", 'multipart/form-data; boundary=""']
FRAMED_BODY = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nx\r\n--x--\r\n'


def coverage_cases(operation: Any) -> list[Any]:
    """Schemathesis' coverage phase for ``operation`` (valid and invalid, in a fixed order), then
    the first valid case again with each path and query parameter in turn set to ``UNUSUAL_TEXT``,
    and with a body under each of ``MALFORMED_FRAMINGS``."""
    generator = CoverageGenerator(
        operation=operation,
        generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
        auth_storage=None,
        override=Override(),
        feedback=FeedbackSources(),
        hooks=schema.hooks,
    )
    cases = list(generator)
    valid = next((case for case in cases if case._meta and case._meta.generation.mode is GenerationMode.POSITIVE), None)
    if valid is None:
        return cases
    for location in ("path_parameters", "query"):
        for name in getattr(valid, location) or {}:
            for text in UNUSUAL_TEXT:
                inputs = {"path_parameters": valid.path_parameters, "query": valid.query}
                inputs[location] = {**getattr(valid, location), name: text}
                cases.append(
                    operation.Case(headers=valid.headers, body=valid.body, media_type=valid.media_type, **inputs)
                )
    if list(operation.body):
        for framing in MALFORMED_FRAMINGS:
            headers = {**dict(valid.headers or {}), "Content-Type": framing}
            cases.append(
                operation.Case(
                    path_parameters=valid.path_parameters,
                    query=valid.query,
                    headers=headers,
                    body=FRAMED_BODY,
                    media_type="application/octet-stream",  # sent as these bytes, under the header above
                )
            )
    return cases


def coverage(operation: Any, personas: dict[str, dict[str, str]]) -> None:
    """Every coverage-phase case of ``operation``, each sent as the admin (who reaches the furthest
    into every operation) or, with ``MOMENTUM_FUZZ_EVERY_PERSONA=1`` (``make fuzz``), as every
    persona; every answer checked."""
    senders = personas if EVERY_PERSONA else {"admin": personas["admin"]}
    failures = []
    for case in coverage_cases(operation):
        for persona, headers in senders.items():
            REQUESTS["count"] += 1
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            except AssertionError as failure:  # every distinct failure, not just the first
                failures.append(f"as {persona}: {failure}")
    assert not failures, "\n\n".join(dict.fromkeys(failures))


@pytest.fixture(scope="module", autouse=True)
def _report_request_count(request: pytest.FixtureRequest) -> Iterator[None]:
    before = REQUESTS["count"]
    yield
    fuzzed = REQUESTS["count"] - before
    print(f"\n{request.module.__name__}: fuzzed {fuzzed} requests ({EXAMPLES} examples per mode)")  # noqa: T201
