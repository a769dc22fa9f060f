"""Schemathesis' coverage phase on the admin side and the account itself: /admin, /auth, /me (conftest.py).

Where the random phases draw requests, the coverage phase walks each operation's inputs in a
fixed order: boundary values of every parameter and body field, values of the wrong type,
missing and duplicate parameters, bodies under malformed or missing content types (multipart
without a boundary); and, added here, unusual Unicode in every path and query parameter (a
superscript "³" as a course id). Issue 23's outside run found 500s of this class that the random
phases missed.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fuzz.conftest import coverage, operations


@pytest.mark.parametrize("operation", operations(admin_side=True), ids=lambda operation: operation.label)
def test_operation_answers_the_coverage_phase_as_documented(
    operation: Any, personas: dict[str, dict[str, str]]
) -> None:
    coverage(operation, personas)
