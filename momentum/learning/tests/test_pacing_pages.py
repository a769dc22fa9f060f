"""Pages of a daily-paced course, without JavaScript: a locked day shows when it opens and the time
left beside the outline; the studio course page lists cohorts with their progress and the learners,
adds a cohort and opens every day for one learner."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from momentum.accounts.models import User
from momentum.audit.models import AuditLog
from momentum.catalog.models import Course, Pacing
from momentum.learning.actions import do_create_cohort, do_enroll
from momentum.learning.models import Cohort, Enrollment
from momentum.lib.clock import travel_to
from tests.factories import make_course

pytestmark = pytest.mark.django_db

# Sunday 6 December 2026, 12:00 in New York (17:00 UTC)
SUNDAY_NOON = datetime(2026, 12, 6, 17, tzinfo=UTC)


@pytest.fixture
def daily(db: None) -> Course:
    return make_course("Daily sketching", duration_days=7, pacing=Pacing.DAILY)


@pytest.fixture
def new_yorker(learner: User, daily: Course) -> User:
    learner.timezone = "America/New_York"
    learner.save(update_fields=["timezone"])
    do_enroll(learner, daily, now=SUNDAY_NOON)
    return learner


def test_a_locked_day_says_when_it_opens_and_the_time_left(client: Any, new_yorker: User, daily: Course) -> None:
    client.force_login(new_yorker)
    with travel_to(SUNDAY_NOON):
        response = client.get(f"/courses/{daily.slug}/day/3/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Day 3 opens Tuesday at 00:00" in page
    assert "1\xa0day, 12\xa0hours left" in page
    assert 'data-available-at="2026-12-08T05:00:00Z"' in page
    assert "Day 3: Daily sketching: day 3" in page  # the outline is there
    assert "Today you <strong>practise</strong> step 3" not in page  # the lesson is not


def test_the_outline_marks_the_days_not_open_yet(client: Any, new_yorker: User, daily: Course) -> None:
    client.force_login(new_yorker)
    with travel_to(SUNDAY_NOON):
        page = client.get(f"/courses/{daily.slug}/day/1/").content.decode()
    assert page.count("(not open yet)") == 6
    assert "Today you <strong>practise</strong> step 1" in page


def test_today_is_open_on_the_page(client: Any, new_yorker: User, daily: Course) -> None:
    client.force_login(new_yorker)
    with travel_to(datetime(2026, 12, 8, 5, tzinfo=UTC)):  # Tuesday 00:00 in New York
        page = client.get(f"/courses/{daily.slug}/day/3/").content.decode()
    assert "Today you <strong>practise</strong> step 3" in page


def test_marking_a_locked_day_complete_is_refused(client: Any, new_yorker: User, daily: Course) -> None:
    client.force_login(new_yorker)
    with travel_to(SUNDAY_NOON):
        client.post(f"/courses/{daily.slug}/day/3/complete/")
    assert not new_yorker.lesson_progress.filter(completed=True).exists()


def test_the_studio_course_page_shows_cohort_progress_and_learners(
    client: Any, admin: User, new_yorker: User, stranger: User, daily: Course
) -> None:
    # given a cohort that started on Friday with one learner, and a learner without a cohort
    cohort = do_create_cohort(daily, name="Friday group", starts_on=date(2026, 12, 4), capacity=10)
    do_enroll(stranger, daily, cohort_id=cohort.pk, now=SUNDAY_NOON)
    client.force_login(admin)
    with travel_to(SUNDAY_NOON):
        page = client.get(f"/studio/courses/{daily.pk}/").content.decode()
    # then the cohort's learner is on day 3 and both learners are listed with the button to open every day
    assert "Friday group" in page
    assert "1 of 10" in page
    assert "Day 3: 1" in page
    assert new_yorker.email in page
    assert stranger.email in page
    assert page.count("Open every day for this learner") == 2


def test_an_admin_adds_a_cohort_in_the_studio(client: Any, admin: User, daily: Course) -> None:
    client.force_login(admin)
    response = client.post(
        f"/studio/courses/{daily.pk}/cohorts/", {"name": "January", "starts_on": "2027-01-04", "capacity": "25"}
    )
    assert response.status_code == 302
    assert Cohort.objects.filter(course=daily, name="January", starts_on=date(2027, 1, 4), capacity=25).exists()


def test_a_cohort_without_a_date_is_explained_not_saved(client: Any, admin: User, daily: Course) -> None:
    client.force_login(admin)
    response = client.post(f"/studio/courses/{daily.pk}/cohorts/", {"name": "Soon", "starts_on": ""}, follow=True)
    assert "Give the cohort a start date" in response.content.decode()
    assert not Cohort.objects.exists()


def test_an_admin_opens_every_day_for_a_learner_in_the_studio(
    client: Any, admin: User, new_yorker: User, daily: Course
) -> None:
    enrollment = Enrollment.objects.get(user=new_yorker)
    client.force_login(admin)
    page = client.post(f"/studio/enrollments/{enrollment.pk}/open-all-days/", follow=True).content.decode()
    assert "Every day open" in page
    assert Enrollment.objects.get(pk=enrollment.pk).all_days_open_since is not None
    assert AuditLog.objects.filter(action="enrollment.all_days_opened", actor=admin).count() == 1


def test_learners_cannot_use_the_studio_forms(client: Any, new_yorker: User, daily: Course) -> None:
    enrollment = Enrollment.objects.get(user=new_yorker)
    client.force_login(new_yorker)
    assert client.post(f"/studio/enrollments/{enrollment.pk}/open-all-days/").status_code == 403
    assert (
        client.post(f"/studio/courses/{daily.pk}/cohorts/", {"name": "X", "starts_on": "2027-01-04"}).status_code == 403
    )
    assert Enrollment.objects.get(pk=enrollment.pk).all_days_open_since is None
    assert not Cohort.objects.exists()
