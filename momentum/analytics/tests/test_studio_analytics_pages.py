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
def activity(admin, learner, premium_learner):
    course = published_course(title='=HYPERLINK("http://evil")')
    for person in (learner, premium_learner):
        event(EventKind.ENROLLED, user=person, course=course, ago=5)
        event(EventKind.LESSON_COMPLETED, user=person, course=course, lesson=course.lessons.get(day=1), ago=4)
    event(EventKind.LESSON_COMPLETED, user=learner, course=course, lesson=course.lessons.get(day=2), ago=3)
    learner.age_range = "25_34"
    learner.save(update_fields=["age_range"])
    from momentum.learning.models import Enrollment, LessonProgress

    for person in (learner, premium_learner):
        Enrollment.objects.create(user=person, course=course, enrolled_at=days_ago(5))
        LessonProgress.objects.create(user=person, lesson=course.lessons.get(day=1), course=course, completed=True,
                                      completed_at=days_ago(4), completed_on=days_ago(4).date())  # fmt: skip
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


def read_csv(response) -> list[list[str]]:
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


def test_the_funnel_never_goes_up_from_one_stage_to_the_next(admin, learner, premium_learner) -> None:
    from momentum.analytics import reports
    from momentum.analytics.queries import Snapshot
    from momentum.learning.models import Enrollment, LessonProgress

    # given one learner who enrolled within the range and did day 1, and one who enrolled long
    # before it and did the last day within it
    course = published_course(title="Seven days")
    Enrollment.objects.create(user=learner, course=course, enrolled_at=days_ago(5))
    Enrollment.objects.create(user=premium_learner, course=course, enrolled_at=days_ago(200))
    for person, day in ((learner, 1), (premium_learner, 7)):
        LessonProgress.objects.create(user=person, lesson=course.lessons.get(day=day), course=course, completed=True,
                                      completed_at=days_ago(2), completed_on=days_ago(2).date())  # fmt: skip
    # when the funnel of the last 30 days is read
    table = reports.funnel(Snapshot(), days_ago(30).date(), days_ago(0).date())
    # then it follows the learners who enrolled within the range, each stage within the one before
    [row] = table.rows
    enrolled, day_1, halfway, last_day, completed = row[2:7]
    assert (enrolled, day_1, halfway, last_day, completed) == (1, 1, 0, 0, 0)


def test_age_groups_are_listed_youngest_first(admin, learner, premium_learner, stranger) -> None:
    from momentum.analytics import reports
    from momentum.learning.models import Enrollment

    course = published_course(title="Seven days")
    for person, age in ((learner, "45_54"), (premium_learner, "18_24"), (stranger, "")):
        person.age_range = age
        person.save(update_fields=["age_range"])
        Enrollment.objects.create(user=person, course=course, enrolled_at=days_ago(3))
    Enrollment.objects.create(user=admin, course=published_course(title="Other"), enrolled_at=days_ago(3))
    admin.age_range = "25_34"
    admin.save(update_fields=["age_range"])

    table = reports.demographics("age_range", days_ago(30).date(), days_ago(0).date())

    assert [row[0] for row in table.rows] == ["18-24", "25-34", "45-54", "Not given"]
