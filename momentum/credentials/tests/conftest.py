"""Fixtures of the credentials tests: a learner's certificate."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.catalog.models import Course
from momentum.credentials.models import Credential
from tests.factories import make_certificate, make_course


@pytest.fixture
def course(db: None) -> Course:
    return make_course("Sleep Better in Seven Days", slug="sleep-better", duration_days=7)


@pytest.fixture
def certificate(learner: Any, course: Course) -> Credential:
    return make_certificate(learner, course)
