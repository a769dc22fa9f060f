"""Cohorts: admins create them, learners choose one when enrolling or are placed in the next one
with room, everyone's day 1 opens on the cohort's start date, and a full cohort is 409 ``cohort_full``
even when learners enrol at the same moment."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from momentum.accounts.models import User
from momentum.audit.models import AuditLog
from momentum.catalog.models import Course, Pacing
from momentum.learning.actions import do_create_cohort, do_enroll
from momentum.learning.models import Cohort, Enrollment
from momentum.lib.clock import travel_to
from tests.factories import make_course, make_user

pytestmark = pytest.mark.django_db

SUNDAY = datetime(2026, 12, 6, 10, tzinfo=UTC)
NEXT_MONDAY = date(2026, 12, 14)


@pytest.fixture
def daily(db: None) -> Course:
    return make_course("Together", duration_days=7, pacing=Pacing.DAILY)


def test_an_admin_creates_a_cohort_and_lists_them(api_as: Any, admin: User, daily: Course) -> None:
    client = api_as(admin)
    created = client.post(
        f"/courses/{daily.slug}/cohorts", {"name": "January", "starts_on": "2027-01-04", "capacity": 30}
    )
    client.post(f"/courses/{daily.slug}/cohorts", {"name": "December", "starts_on": "2026-12-14"})
    listed = client.get(f"/courses/{daily.slug}/cohorts").json()
    assert created.status_code == 201
    assert created.json() | {"id": 0, "created_at": ""} == {
        "id": 0, "course_id": daily.pk, "name": "January", "starts_on": "2027-01-04", "capacity": 30, "learners": 0,
        "created_at": "",
    }  # fmt: skip
    assert [item["name"] for item in listed["items"]] == ["December", "January"]
    assert AuditLog.objects.filter(action="cohort.created").count() == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"name": "", "starts_on": "2026-12-14"}, 422),
        ({"name": "   ", "starts_on": "2026-12-14"}, 422),
        ({"name": "X", "starts_on": "someday"}, 422),
        ({"name": "X", "starts_on": "2026-12-14", "capacity": 0}, 422),
        ({"name": "Taken", "starts_on": "2026-12-14"}, 409),
    ],
)
def test_a_bad_cohort_is_refused_with_a_clear_problem(
    api_as: Any, admin: User, daily: Course, body: dict[str, Any], status: int
) -> None:
    do_create_cohort(daily, name="Taken", starts_on=NEXT_MONDAY)
    response = api_as(admin).post(f"/courses/{daily.slug}/cohorts", body)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"


def test_the_database_refuses_a_cohort_without_a_name_or_with_no_places(daily: Course) -> None:
    for fields in ({"name": ""}, {"name": "Zero", "capacity": 0}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Cohort.objects.create(course=daily, starts_on=NEXT_MONDAY, **({"name": "N"} | fields))


def test_the_database_refuses_an_enrolment_in_another_courses_cohort(learner: User, daily: Course) -> None:
    other = make_course("Elsewhere", duration_days=7)
    cohort = do_create_cohort(other, name="Theirs", starts_on=NEXT_MONDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(user=learner, course=daily, cohort=cohort)


def test_the_database_refuses_a_learner_beyond_capacity(learner: User, stranger: User, daily: Course) -> None:
    cohort = do_create_cohort(daily, name="Tiny", starts_on=NEXT_MONDAY, capacity=1)
    Enrollment.objects.create(user=learner, course=daily, cohort=cohort)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(user=stranger, course=daily, cohort=cohort)


def test_a_learner_who_chooses_a_cohort_starts_on_its_date(api_as: Any, learner: User, daily: Course) -> None:
    cohort = do_create_cohort(daily, name="Next week", starts_on=NEXT_MONDAY)
    day_1 = daily.lessons.get(day=2).pk  # day 1 is the free preview
    with travel_to(SUNDAY):
        enrolled = api_as(learner).post(f"/courses/{daily.slug}/enrollment", {"cohort_id": cohort.pk})
    with travel_to(datetime(2026, 12, 14, 23, 59, tzinfo=UTC)):
        before = api_as(learner).get(f"/courses/{daily.slug}/lessons/{day_1}")
    with travel_to(datetime(2026, 12, 15, 0, 0, tzinfo=UTC)):
        after = api_as(learner).get(f"/courses/{daily.slug}/lessons/{day_1}")
    assert enrolled.status_code == 201
    assert enrolled.json()["cohort_id"] == cohort.pk
    assert before.status_code == 403
    assert before.json()["available_at"] == "2026-12-15T00:00:00Z"
    assert after.status_code == 200


def test_a_learner_is_placed_in_the_next_upcoming_cohort_with_room(
    api_as: Any, learner: User, stranger: User, daily: Course
) -> None:
    do_create_cohort(daily, name="Last week", starts_on=date(2026, 11, 30))
    full = do_create_cohort(daily, name="Full", starts_on=NEXT_MONDAY, capacity=1)
    later = do_create_cohort(daily, name="Later", starts_on=date(2026, 12, 21))
    with travel_to(SUNDAY):
        do_enroll(stranger, daily, cohort_id=full.pk)
        body = api_as(learner).post(f"/courses/{daily.slug}/enrollment").json()
    assert body["cohort_id"] == later.pk


def test_a_course_without_cohorts_starts_on_the_enrolment_day(api_as: Any, learner: User, daily: Course) -> None:
    with travel_to(SUNDAY):
        body = api_as(learner).post(f"/courses/{daily.slug}/enrollment").json()
    assert body["cohort_id"] is None


def test_a_full_cohort_is_409_cohort_full(api_as: Any, learner: User, stranger: User, daily: Course) -> None:
    cohort = do_create_cohort(daily, name="Small", starts_on=NEXT_MONDAY, capacity=1)
    do_enroll(stranger, daily, cohort_id=cohort.pk)
    response = api_as(learner).post(f"/courses/{daily.slug}/enrollment", {"cohort_id": cohort.pk})
    assert response.status_code == 409
    assert response.json()["code"] == "cohort_full"
    assert not Enrollment.objects.filter(user=learner).exists()


def test_another_courses_cohort_is_422(api_as: Any, learner: User, daily: Course) -> None:
    other = make_course("Elsewhere", duration_days=7)
    cohort = do_create_cohort(other, name="Theirs", starts_on=NEXT_MONDAY)
    response = api_as(learner).post(f"/courses/{daily.slug}/enrollment", {"cohort_id": cohort.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cohort_id"


def test_the_course_detail_lists_upcoming_cohorts_with_room(api: Any, daily: Course) -> None:
    do_create_cohort(daily, name="Past", starts_on=date(2026, 11, 30))
    do_create_cohort(daily, name="Next week", starts_on=NEXT_MONDAY, capacity=20)
    with travel_to(SUNDAY):
        cohorts = api.get(f"/courses/{daily.slug}").json()["cohorts"]
    assert [(c["name"], c["starts_on"], c["capacity"], c["learners"], c["has_room"]) for c in cohorts] == [
        ("Next week", "2026-12-14", 20, 0, True)
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_overfill_a_cohort(api_as: Any) -> None:
    # given a cohort with two places and five learners who want them at the same moment
    course = make_course("Crowded", duration_days=7, pacing=Pacing.DAILY)
    cohort = do_create_cohort(course, name="Two places", starts_on=NEXT_MONDAY, capacity=2)
    learners = [make_user(f"crowd{n}@example.com") for n in range(5)]
    statuses: list[int] = []
    barrier = threading.Barrier(len(learners))

    def enrol(user: User) -> None:
        client = api_as(user)
        barrier.wait()
        try:
            response = client.post(f"/courses/{course.slug}/enrollment", {"cohort_id": cohort.pk})
            statuses.append(response.status_code)
        finally:
            connection.close()

    # when they all enrol at once
    threads = [threading.Thread(target=enrol, args=(user,)) for user in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then exactly two got in and the others were told the cohort is full
    assert sorted(statuses) == [201, 201, 409, 409, 409]
    assert Enrollment.objects.filter(cohort=cohort).count() == 2
