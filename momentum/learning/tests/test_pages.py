"""The learner's pages, without JavaScript: what each person sees and what each form does."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from momentum.catalog.models import Status
from momentum.learning.actions import do_enroll, do_record_progress
from momentum.learning.models import Enrollment, LessonProgress
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def test_the_home_page_shows_categories_popular_and_new_courses(client: Any, course: Any) -> None:
    page = text(client.get("/"))
    assert "Explore by category" in page
    assert "Popular" in page
    assert course.title in page


def test_the_catalogue_searches_filters_and_paginates(client: Any) -> None:
    for n in range(13):
        make_course(f"Knitting pattern {n}", category="creative-arts")
    make_course("Spanish verbs", category="languages")
    page = text(client.get("/courses/", {"q": "knitting"}))
    assert "13 courses for “knitting”" in page
    assert "Page 1 of 2" in page
    assert "Spanish verbs" not in page
    assert "Spanish verbs" in text(client.get("/courses/", {"category": "languages", "level": "nonsense"}))


def test_htmx_gets_only_the_results(client: Any, course: Any) -> None:
    page = text(client.get("/courses/", {"q": "python"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"))
    assert "<html" not in page
    assert course.title in page


def test_a_hidden_course_page_is_not_found(client: Any) -> None:
    draft = make_course("Unpublished", status=Status.DRAFT)
    assert client.get(f"/courses/{draft.slug}/").status_code == 404
    assert client.get(f"/courses/{draft.slug}/day/1/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (None, "Sign up to enrol, free"),
        ("unverified_learner", "Verify your email address to enrol"),
        ("learner", "Enrol for free"),
    ],
)
def test_the_course_page_offers_the_right_next_step(
    client: Any, request: Any, course: Any, persona: str | None, expected: str
) -> None:
    if persona:
        client.force_login(request.getfixturevalue(persona))
    assert expected in text(client.get(f"/courses/{course.slug}/"))


def test_a_premium_course_shows_its_price_without_a_checkout_page(client: Any, learner: Any) -> None:
    premium = make_course("Negotiation masterclass", is_premium=True, price_cents=2900)
    client.force_login(learner)
    page = text(client.get(f"/courses/{premium.slug}/"))
    assert "Premium" in page
    assert "29.00 USD" in page
    assert "Enrol for free" not in page


def test_enrolling_by_form_opens_day_one(client: Any, learner: Any, course: Any) -> None:
    client.force_login(learner)
    response = client.post(reverse("learning:enroll", args=[course.slug]))
    assert response.status_code == 302
    assert response["Location"] == f"/courses/{course.slug}/day/1/"
    assert Enrollment.objects.filter(user=learner, course=course).exists()


def test_an_unverified_learner_is_told_why_the_form_did_not_enrol(
    client: Any, unverified_learner: Any, course: Any
) -> None:
    client.force_login(unverified_learner)
    response = client.post(reverse("learning:enroll", args=[course.slug]), follow=True)
    assert "Verify your email address first" in text(response)
    assert not Enrollment.objects.exists()


def test_a_locked_lesson_shows_the_outline_and_the_call_to_enrol(client: Any, learner: Any, course: Any) -> None:
    client.force_login(learner)
    page = text(client.get(f"/courses/{course.slug}/day/3/"))
    assert "Enrol to open this lesson" in page
    assert "Enrol for free" in page
    assert "practise" not in page  # the lesson's text stays hidden


def test_a_preview_lesson_is_readable_by_anyone_and_sanitised(client: Any, course: Any) -> None:
    page = text(client.get(f"/courses/{course.slug}/day/1/"))
    assert "<strong>practise</strong>" in page
    assert "<script>alert(1)</script>" not in page


def test_marking_complete_without_javascript_moves_to_the_next_day(client: Any, enrolled: Any, course: Any) -> None:
    client.force_login(enrolled)
    assert "Mark day 1 complete" in text(client.get(f"/courses/{course.slug}/day/1/"))
    response = client.post(reverse("learning:complete_lesson", args=[course.slug, 1]))
    assert response["Location"] == f"/courses/{course.slug}/day/2/"
    assert LessonProgress.objects.get(user=enrolled, lesson__day=1).completed


def test_marking_complete_with_htmx_swaps_the_panel(client: Any, enrolled: Any, course: Any) -> None:
    client.force_login(enrolled)
    response = client.post(reverse("learning:complete_lesson", args=[course.slug, 1]), HTTP_HX_REQUEST="true")
    page = text(response)
    assert "Day 1 complete" in page
    assert "Badge earned: <strong>First step</strong>" in page
    assert 'hx-swap-oob="true"' in page


def test_the_player_resumes_at_the_saved_position(client: Any, enrolled: Any, course: Any, mp4: Any) -> None:
    from django.core.files import File

    lesson = course.lessons.get(day=2)
    with mp4.open("rb") as handle:
        lesson.video.save("day-2.mp4", File(handle))
    do_record_progress(enrolled, lesson, completed=False, position_seconds=75)
    client.force_login(enrolled)
    page = text(client.get(f"/courses/{course.slug}/day/2/"))
    assert 'data-position="75"' in page
    assert f'src="http://testserver/lessons/{lesson.pk}/video"' in page
    assert "Picking up where you left off (75 s)" in page


def test_the_dashboard_shows_streak_courses_todays_lesson_and_badges(
    client: Any, enrolled: Any, course: Any, django_assert_max_num_queries: Any
) -> None:
    do_record_progress(enrolled, course.lessons.get(day=1), completed=True)
    client.force_login(enrolled)
    with django_assert_max_num_queries(20):
        page = text(client.get("/dashboard/"))
    assert "1-day streak" in page
    assert "Day 2 of 7" in page
    assert course.title in page
    assert "First step" in page
    assert "Earned" in page


def test_the_dashboard_needs_a_signed_in_learner(client: Any) -> None:
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_analytics_page_draws_its_charts_with_a_table(client: Any, enrolled: Any, course: Any) -> None:
    do_record_progress(enrolled, course.lessons.get(day=1), completed=True)
    client.force_login(enrolled)
    page = text(client.get("/dashboard/analytics/"))
    assert page.count('<svg class="chart') == 4
    assert '<table class="data">' in page


def test_recommendations_follow_the_learners_categories(learner: Any) -> None:
    from momentum.learning.recommendations import recommended_for

    taken = make_course("French basics", category="languages")
    make_course("Italian basics", category="languages")
    make_course("Accounting basics", category="business")
    do_enroll(learner, taken)
    assert [c.title for c in recommended_for(learner, limit=1)] == ["Italian basics"]


def test_the_demo_learner_gets_a_believable_history_once(learner: Any) -> None:
    import io

    from momentum.learning import demo
    from momentum.learning.queries import learner_stats

    for duration in (7, 14, 21):
        make_course(f"Demo course {duration}", duration_days=duration)
    demo.seed(admin=None, learner=learner, stdout=io.StringIO())
    demo.seed(admin=None, learner=learner, stdout=io.StringIO())
    stats = learner_stats(learner)
    assert Enrollment.objects.filter(user=learner).count() == 3
    assert stats.courses_completed == 1
    assert stats.current_streak_days == 5
    assert learner.badge_awards.filter(badge__code="first-course").exists()
