"""Fuzzing the operations of the learner's side: catalogue, courses, lessons, progress, checkout (see conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fuzz.conftest import fuzz, operations


@pytest.mark.parametrize("operation", operations(admin_side=False), ids=lambda operation: operation.label)
def test_operation_answers_every_persona_as_documented(operation: Any, personas: dict[str, dict[str, str]]) -> None:
    fuzz(operation, personas)
