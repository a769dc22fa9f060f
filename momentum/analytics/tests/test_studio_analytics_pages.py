"""The studio dashboard and analytics page: figures, tables, CSV exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from momentum.analytics.models import EventKind
from momentum.analytics.tests.happenings import days_ago, event
from momentum.catalog.tests.authoring import published_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(admin) -> Client:
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def activity(admin, learner, premium_learner):  # type: ignore[no-untyped-def]
    course = published_course(title='=HYPERLINK("http://evil")')
    for person in (learner, premium_learner):
        event(EventKind.ENROLLED, user=person, course=course, ago=5)
        event(EventKind.LESSON_COMPLETED, user=person, course=course, lesson=course.lessons.get(day=1), ago=4)
    event(EventKind.LESSON_COMPLETED, user=learner, course=course, lesson=course.lessons.get(day=2), ago=3)
    learner.age_range = "25_34"
    learner.save(update_fields=["age_range"])
    from momentum.learning.models import Enrollment

    for person in (learner, premium_learner):
        Enrollment.objects.create(user=person, course=course, enrolled_at=days_ago(5))
    return course


def test_learners_cannot_open_the_dashboard(learner) -> None:
    client = Client()
    client.force_login(learner)
    assert client.get(reverse("analytics:studio_dashboard")).status_code == 403
    assert client.get(reverse("analytics:studio_export", args=["daily"])).status_code == 403


def test_the_dashboard_shows_the_overview_figures(studio, activity) -> None:
    page = studio.get(reverse("analytics:studio_dashboard")).content.decode()

    assert 'data-kpi="enrollments_total" data-value="2"' in page
    assert 'data-kpi="users_total" data-value="3"' in page
    assert "Sign-ups per day" in page
    assert "<svg" in page


def test_the_analytics_page_has_the_funnel_the_dropoff_and_demographics(studio, activity) -> None:
    page = studio.get(reverse("analytics:studio_analytics")).content.decode()

    assert "Completion funnel per course" in page
    assert "Drop-off by lesson day" in page
    assert "25-34" in page
    assert "50.0 %" in page  # day 2 was done by half of those who did day 1


def test_a_range_that_is_too_long_is_explained_and_replaced(studio, db) -> None:
    response = studio.get(reverse("analytics:studio_analytics"), {"start": "2020-01-01", "end": "2026-01-01"})

    assert response.status_code == 200
    assert "That range cannot be shown" in response.content.decode()


def read_csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_funnel_exports_as_csv_without_formulas(studio, activity) -> None:
    response = studio.get(reverse("analytics:studio_export", args=["funnel"]))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:4] == ["Course", "Days", "Enrolled", "Did day 1"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][2:4] == ["2", "2"]


def test_the_dropoff_exports_one_row_per_day(studio, activity) -> None:
    rows = read_csv(studio.get(reverse("analytics:studio_export", args=["dropoff"]), {"course": activity.pk}))

    assert len(rows) == 1 + 7
    assert rows[1] == ["1", "2", "1.0"]
    assert rows[2] == ["2", "1", "0.5"]


def test_the_daily_table_exports_every_day_of_the_range(studio, activity) -> None:
    start, end = days_ago(6).date(), days_ago(0).date()

    rows = read_csv(
        studio.get(
            reverse("analytics:studio_export", args=["daily"]), {"start": start.isoformat(), "end": end.isoformat()}
        )
    )

    assert len(rows) == 1 + 7
    assert rows[0][0] == "Date"
    enrolments = rows[0].index("Enrolments")
    assert sum(int(row[enrolments]) for row in rows[1:]) == 2


def test_the_demographics_export_groups_by_the_chosen_dimension(studio, activity) -> None:
    rows = read_csv(studio.get(reverse("analytics:studio_export", args=["demographics"]), {"dimension": "age_range"}))

    assert rows[0][0] == "Age"
    assert sorted(row[0] for row in rows[1:]) == ["25-34", "Not given"]


def test_an_unknown_export_is_404(studio, db) -> None:
    assert studio.get("/studio/analytics/passwords.csv").status_code == 404
