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
        "momentum.discussions.demo",
        "momentum.generation.demo",
        "momentum.analytics.demo",
    ]


def test_the_demo_has_a_daily_paced_course_with_a_cohort_starting_next_week(seeded: str) -> None:
    daily = Course.objects.get(metadata__demo=True, pacing=Pacing.DAILY)
    [cohort] = Cohort.objects.filter(course=daily)
    today = timezone.now().date()
    assert cohort.starts_on.weekday() == 0
    assert 1 <= (cohort.starts_on - today).days <= 7
    assert (
        Course.objects.filter(metadata__demo=True, pacing=Pacing.SELF_PACED).count() == 25
    )  # 24 in English (one daily-paced) and one each in Spanish and Arabic


# --- Quizzes on every demo lesson ---------------------------------------------------------------

HAND_WRITTEN = ("cybersecurity-hygiene-in-7-days", "python-in-7-days")  # assessments/demo_quizzes/
# Demo lessons the offline quiz writer makes no valid quiz for (course slug, day): they go without.
WITHOUT_A_QUIZ: list[tuple[str, int]] = []


def spec_of(quiz: Any) -> Any:
    from momentum.assessments.specs import OptionSpec, QuestionKind, QuestionSpec, QuizSpec

    return QuizSpec(
        questions=tuple(
            QuestionSpec(
                kind=QuestionKind(question.kind),
                prompt=question.prompt,
                explanation=question.explanation,
                options=tuple(
                    OptionSpec(option.text, option.is_correct) for option in question.options.order_by("position")
                ),
                accepted_answers=tuple(question.accepted_answers),
            )
            for question in sorted(quiz.questions.all(), key=lambda question: question.position)
        ),
        pass_percent=quiz.pass_percent,
        max_attempts=quiz.max_attempts,
    )


def test_every_other_demo_lesson_has_a_reviewed_written_quiz_whose_keys_hold(seeded: str) -> None:
    from momentum.assessments.models import Quiz
    from momentum.generation import quiz_keys

    courses = Course.objects.filter(metadata__demo=True, status=Status.PUBLISHED).exclude(slug__in=HAND_WRITTEN)
    without = []
    for course in courses:
        specs = []
        for lesson in course.lessons.order_by("day"):
            quiz = Quiz.objects.prefetch_related("questions__options").filter(lesson=lesson).first()
            if quiz is None:
                without.append((course.slug, lesson.day))
                continue
            spec = spec_of(quiz)
            assert not quiz.needs_review
            assert quiz_keys.quiz_problems(spec, [lesson.content_markdown]) == [], (course.slug, lesson.day)
            specs.append(spec)
        positions = quiz_keys.key_positions(specs)
        assert quiz_keys.largest_share(positions) <= quiz_keys.MAX_POSITION_SHARE, (course.slug, positions)
    assert courses.count() == 24  # with the Spanish and Arabic demo courses
    assert without == WITHOUT_A_QUIZ
    made = Lesson.objects.filter(course__in=courses).count() - len(WITHOUT_A_QUIZ)
    assert f"Demo quizzes written offline: {made} made, {len(WITHOUT_A_QUIZ)} lessons without a valid one." in seeded


def test_the_two_hand_written_demo_courses_keep_their_quizzes_as_written(seeded: str) -> None:
    from momentum.assessments.demo import demo_quizzes, spec_from
    from momentum.assessments.models import Quiz

    written = {course["course"]: course["quizzes"] for course in demo_quizzes()}
    assert sorted(written) == sorted(HAND_WRITTEN)
    for slug, quizzes in written.items():
        for quiz in quizzes:
            saved = Quiz.objects.get(lesson__course__slug=slug, lesson__day=quiz["day"])
            assert spec_of(saved) == spec_from(quiz)


def test_seeding_again_keeps_one_quiz_per_demo_lesson_and_the_same_questions(seeded: str) -> None:
    from momentum.assessments.models import Option, Quiz

    def quizzes() -> dict[int, Any]:
        return {
            quiz.lesson_id: (quiz.pk, spec_of(quiz)) for quiz in Quiz.objects.prefetch_related("questions__options")
        }

    before, options = quizzes(), Option.objects.count()
    call_command("seed_demo", stdout=StringIO())

    assert quizzes() == before
    assert Option.objects.count() == options
    assert len(before) == Lesson.objects.filter(course__metadata__demo=True).count() - len(WITHOUT_A_QUIZ)
