"""`momentum generate`: a draft from the command line, with its progress and URL."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from momentum.catalog.models import Course
from momentum.generation.models import GenerationJob

pytestmark = pytest.mark.integration


def test_the_generate_command_prints_progress_and_the_drafts_url(workflows: None, admin) -> None:
    out = io.StringIO()

    call_command("generate", "--topic", "Knife skills", "--days", "7", "--category", "health-wellness",
                 "--no-video", stdout=out)  # fmt: skip

    printed = out.getvalue()
    course = Course.objects.get()
    assert "lesson-7" in printed
    assert "Draft ready" in printed
    assert printed.rstrip().endswith(f"/studio/courses/{course.pk}/")


@pytest.mark.django_db
@pytest.mark.parametrize("topic", ["", "   ", "ab"])
def test_the_generate_command_refuses_an_empty_topic_before_starting_a_job(admin, topic: str) -> None:
    with pytest.raises(CommandError, match="--topic: say what the course teaches"):
        call_command("generate", "--topic", topic, "--category", "health-wellness", stdout=io.StringIO())

    assert not GenerationJob.objects.exists()


@pytest.mark.django_db
def test_the_generate_command_asks_for_the_category_instead_of_choosing_one(admin) -> None:
    with pytest.raises(CommandError, match=r"Choose the course's category with --category, one of: .*technology"):
        call_command("generate", "--topic", "Knife skills", stdout=io.StringIO())

    assert not GenerationJob.objects.exists()
