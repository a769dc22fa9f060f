"""`momentum generate`: a draft from the command line, with its progress and URL."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from momentum.catalog.models import Course

pytestmark = pytest.mark.integration


def test_the_generate_command_prints_progress_and_the_drafts_url(workflows: None, admin) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()

    call_command("generate", "--topic", "Knife skills", "--days", "7", "--category", "health-wellness",
                 "--no-video", stdout=out)  # fmt: skip

    printed = out.getvalue()
    course = Course.objects.get()
    assert "lesson-7" in printed
    assert "Draft ready" in printed
    assert printed.rstrip().endswith(f"/studio/courses/{course.pk}/")
