"""What the outbox holds: nothing without an LRS, statements that commit with their event, a
pseudonymous actor, one registration per enrolment, and the learner's own data to export and erase."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from momentum.accounts import gdpr
from momentum.catalog.models import Course
from momentum.learning.actions import do_create_cohort, do_enroll, do_record_lesson_view, do_unenroll
from momentum.xapi.actions import _backoff
from momentum.xapi.models import OutboxStatement, XapiActor
from tests.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db: None) -> Course:
    return make_course("Outbox basics", duration_days=7)


@pytest.fixture
def lrs(settings: Any) -> None:
    """An LRS is configured (nothing is sent in these tests: they look at the outbox)."""
    settings.XAPI_LRS_URL = "http://127.0.0.1:9/xAPI"


def test_without_an_lrs_nothing_is_queued_and_no_pseudonym_is_made(learner: Any, course: Course) -> None:
    do_enroll(learner, course)

    assert not OutboxStatement.objects.exists()
    assert not XapiActor.objects.exists()


def test_an_enrolment_that_rolls_back_leaves_no_statement(lrs: None, learner: Any, course: Course) -> None:
    def enrol_then_fail() -> None:
        with transaction.atomic():
            do_enroll(learner, course)
            raise RuntimeError("the request failed after the enrolment")

    with pytest.raises(RuntimeError):
        enrol_then_fail()

    assert not OutboxStatement.objects.exists()


def test_the_actor_is_an_account_on_the_site_under_a_pseudonym_never_the_email(
    lrs: None, learner: Any, course: Course
) -> None:
    do_enroll(learner, course)

    statement = OutboxStatement.objects.get().statement
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_URL, "name": str(XapiActor.objects.get(user=learner).name)},
    }
    assert learner.email not in str(statement)
    assert str(learner.pk) != statement["actor"]["account"]["name"]


def test_statements_of_one_enrolment_share_a_registration_and_a_new_enrolment_has_another(
    lrs: None, learner: Any, course: Course
) -> None:
    lesson = course.lessons.get(day=1)
    do_enroll(learner, course)
    do_record_lesson_view(learner, lesson)
    do_unenroll(learner, course)
    do_enroll(learner, course)

    registrations = [row.statement["context"]["registration"] for row in OutboxStatement.objects.order_by("pk")]
    assert registrations[0] == registrations[1] != registrations[2]


def test_a_lesson_seen_by_someone_not_enrolled_says_nothing(lrs: None, learner: Any, course: Course) -> None:
    do_record_lesson_view(learner, course.lessons.get(day=1))

    assert not OutboxStatement.objects.exists()


def test_the_lesson_statement_names_its_course_as_parent_and_the_cohort_free_context(
    lrs: None, learner: Any, course: Course
) -> None:
    lesson = course.lessons.get(day=1)
    do_enroll(learner, course)
    do_record_lesson_view(learner, lesson)

    seen = OutboxStatement.objects.get(verb="experienced").statement
    assert seen["verb"]["id"] == "http://adlnet.gov/expapi/verbs/experienced"
    assert seen["object"]["id"] == f"{settings.SITE_URL}/xapi/activities/lesson/{lesson.pk}"
    assert seen["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/lesson"
    assert seen["context"]["contextActivities"] == {"parent": [{
        "objectType": "Activity", "id": f"{settings.SITE_URL}/xapi/activities/course/{course.pk}",
        "definition": {"name": {"en": course.title}, "type": "http://adlnet.gov/expapi/activities/course"},
    }]}  # fmt: skip
    assert (seen["context"]["platform"], seen["context"]["language"]) == ("Momentum", "en")


def test_a_learner_in_a_cohort_has_it_in_the_grouping_beside_the_course(
    lrs: None, learner: Any, course: Course
) -> None:
    cohort = do_create_cohort(course, name="January", starts_on=timezone.localdate() + timedelta(days=3))
    do_enroll(learner, course, cohort_id=cohort.pk)
    do_record_lesson_view(learner, course.lessons.get(day=1))

    enrolled, seen = (row.statement["context"]["contextActivities"] for row in OutboxStatement.objects.order_by("pk"))
    cohort_activity = {"objectType": "Activity", "id": f"{settings.SITE_URL}/xapi/activities/cohort/{cohort.pk}",
                       "definition": {"name": {"en": "January"}}}  # fmt: skip
    assert enrolled["grouping"] == [cohort_activity]
    assert enrolled["category"][0]["id"] == "https://w3id.org/xapi/lms"
    assert seen["grouping"] == [cohort_activity]


def test_the_statements_are_in_the_learners_export_and_go_with_the_account(
    lrs: None, api_as: Any, learner: Any, course: Course
) -> None:
    do_enroll(learner, course)
    exported = api_as(learner).get("/me/export").json()

    assert exported["xapi_actor_name"] == str(XapiActor.objects.get(user=learner).name)
    assert [s["statement"]["verb"]["display"]["en-US"] for s in exported["xapi_statements"]] == ["registered"]
    with transaction.atomic():
        gdpr.erase(learner)
    assert not OutboxStatement.objects.filter(user=learner).exists()
    assert not XapiActor.objects.filter(user=learner).exists()


def test_the_back_off_doubles_from_thirty_seconds_to_at_most_an_hour_and_honours_retry_after() -> None:
    assert [_backoff(n, None).total_seconds() for n in (1, 2, 3, 8, 30)] == [30, 60, 120, 3600, 3600]
    assert _backoff(1, 600) == timedelta(minutes=10)
