"""momentum seed-demo: a realistic catalogue, loaded once, safe to run again."""

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from momentum.accounts.models import Role, User
from momentum.catalog.models import Course, Lesson, Pacing, Status
from momentum.learning.models import Cohort

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """Seed once for the module (rendering the thumbnails takes seconds), then empty the
    database again so no other test sees the demo."""
    out = StringIO()
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def test_the_demo_publishes_24_courses_over_every_category_and_duration(seeded: str) -> None:
    published = Course.objects.filter(status=Status.PUBLISHED, metadata__demo=True)
    assert published.count() >= 24
    assert published.values("category").distinct().count() == 6
    assert set(published.values_list("duration_days", flat=True)) == {7, 14, 21}


def test_every_demo_course_has_a_lesson_of_real_text_for_each_day_and_a_thumbnail(seeded: str) -> None:
    for course in Course.objects.filter(metadata__demo=True).annotate(n=Count("lessons")):
        assert course.n == course.duration_days == course.lesson_count
        assert (course.thumbnail.name or "").endswith(".png")
        assert course.thumbnail.storage.exists(course.thumbnail.name or "")
    shortest = min(len(text.split()) for text in Lesson.objects.values_list("content_markdown", flat=True))
    assert shortest >= 150


def test_the_demo_has_quizzes_on_its_lessons(seeded: str) -> None:
    from momentum.assessments.models import Quiz

    assert Quiz.objects.filter(lesson__course__slug="python-in-7-days").count() == 7
    assert "Demo quizzes: 14 made." in seeded


def test_the_demo_has_preview_lessons_and_premium_courses(seeded: str) -> None:
    assert Lesson.objects.filter(is_preview=True).count() >= 6
    assert Course.objects.filter(is_premium=True, price_cents__gt=0).count() >= 3


def test_the_demo_accounts_exist_and_their_credentials_are_printed(seeded: str) -> None:
    admin = User.objects.get(email="admin@momentum.localhost")
    learner = User.objects.get(email="learner@momentum.localhost")
    assert admin.role == Role.ADMIN
    assert admin.check_password("momentum-admin-demo")
    assert learner.role == Role.FREE
    assert learner.check_password("momentum-learner-demo")
    assert learner.email_verified
    assert "admin@momentum.localhost / momentum-admin-demo" in seeded


def test_seeding_again_changes_nothing(seeded: str) -> None:
    before = (Course.objects.count(), Lesson.objects.count(), User.objects.count())
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", "--once", stdout=out)
    assert (Course.objects.count(), Lesson.objects.count(), User.objects.count()) == before
    assert "already loaded" in out.getvalue()


def test_seed_demo_refuses_a_production_profile(settings: object) -> None:
    settings.DEPLOYED = True  # type: ignore[attr-defined]
    settings.MOMENTUM_ENV = "prod"  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="refusing on prod"):
        call_command("seed_demo", stdout=StringIO())


def test_the_demo_seeds_every_app_that_has_a_demo_module_and_names_none_that_does_not() -> None:
    from momentum.catalog.management.commands.seed_demo import demo_modules

    assert demo_modules() == [
        "momentum.learning.demo",
        "momentum.assessments.demo",
        "momentum.generation.demo",
        "momentum.analytics.demo",
    ]


def test_the_demo_has_a_daily_paced_course_with_a_cohort_starting_next_week(seeded: str) -> None:
    daily = Course.objects.get(metadata__demo=True, pacing=Pacing.DAILY)
    [cohort] = Cohort.objects.filter(course=daily)
    today = timezone.now().date()
    assert cohort.starts_on.weekday() == 0
    assert 1 <= (cohort.starts_on - today).days <= 7
    assert Course.objects.filter(metadata__demo=True, pacing=Pacing.SELF_PACED).count() == 23
