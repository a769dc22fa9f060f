"""The studio's course pages: list, new course, editor, publish with its refusal, lessons by day."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from momentum.catalog.models import Course, Status
from momentum.catalog.tests.authoring import draft_course, published_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(admin) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def test_learners_cannot_open_the_studio(learner) -> None:
    client = Client()
    client.force_login(learner)
    assert client.get(reverse("catalog:studio_courses")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(db) -> None:
    response = Client().get(reverse("catalog:studio_courses"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_course_list_shows_drafts_and_filters_by_status_category_and_length(studio) -> None:
    draft_course(title="Ink and wash, in a week")
    published_course(title="Fourteen days of figures", days=14)

    everything = studio.get(reverse("catalog:studio_courses")).content.decode()
    drafts = studio.get(reverse("catalog:studio_courses"), {"status": "DRAFT"}).content.decode()
    two_weeks = studio.get(reverse("catalog:studio_courses"), {"duration": "14", "category": "creative-arts"})

    assert "Ink and wash, in a week" in everything
    assert "Fourteen days of figures" in everything
    assert "Ink and wash, in a week" in drafts
    assert "Fourteen days of figures" not in drafts
    assert "Fourteen days of figures" in two_weeks.content.decode()
    assert "Ink and wash" not in two_weeks.content.decode()


def test_the_course_list_searches_titles(studio) -> None:
    draft_course(title="Ink and wash, in a week")
    draft_course(title="Charcoal portraits")

    page = studio.get(reverse("catalog:studio_courses"), {"q": "charcoal"}).content.decode()

    assert "Charcoal portraits" in page
    assert "Ink and wash" not in page


def test_an_admin_creates_a_draft_from_the_new_course_page(studio) -> None:
    response = studio.post(
        reverse("catalog:studio_course_new"),
        {"title": "Seven days of sketching", "category": "creative-arts", "duration_days": "7", "level": "BEGINNER"},
    )

    course = Course.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:studio_course", args=[course.pk])
    assert course.status == Status.DRAFT


def test_a_refused_new_course_keeps_what_the_admin_typed(studio) -> None:
    response = studio.post(
        reverse("catalog:studio_course_new"),
        {
            "title": "Seven days of sketching",
            "description": "A line a day.",
            "category": "creative-arts",
            "duration_days": "7",
            "level": "BEGINNER",
            "is_premium": "on",
            "price": "",
        },
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "A premium course needs a price above 0." in page
    assert 'value="Seven days of sketching"' in page
    assert "A line a day." in page
    assert not Course.objects.exists()


def test_the_editor_lists_each_day_and_flags_the_missing_ones(studio) -> None:
    course = draft_course(written=[1, 2, 3, 5, 6, 7])

    page = studio.get(reverse("catalog:studio_course", args=[course.pk])).content.decode()

    assert page.count('class="studio-day"') == 6
    assert page.count('class="studio-day missing"') == 1
    assert "Day 4 has no lesson yet" in page
    assert "Write day 4" in page


def test_publishing_with_a_missing_day_shows_why_it_was_refused(studio) -> None:
    course = draft_course(written=[1, 2, 3, 5, 6, 7])

    response = studio.post(reverse("catalog:studio_course_publish", args=[course.pk]))

    assert response.status_code == 409
    assert "Not published." in response.content.decode()
    assert "day 4 is missing" in response.content.decode()
    course.refresh_from_db()
    assert course.status == Status.DRAFT


def test_a_complete_course_is_published_from_the_editor(studio) -> None:
    course = draft_course(written=7)

    response = studio.post(reverse("catalog:studio_course_publish", args=[course.pk]), follow=True)

    assert "is published" in response.content.decode()
    course.refresh_from_db()
    assert course.status == Status.PUBLISHED


def test_archiving_from_the_editor(studio) -> None:
    course = published_course()

    studio.post(reverse("catalog:studio_course_archive", args=[course.pk]))

    course.refresh_from_db()
    assert course.status == Status.ARCHIVED


def test_deleting_a_draft_from_the_editor_removes_it(studio) -> None:
    course = draft_course(written=2)

    response = studio.post(reverse("catalog:studio_course_delete", args=[course.pk]))

    assert response["Location"] == reverse("catalog:studio_courses")
    assert not Course.objects.filter(pk=course.pk).exists()


def test_shrinking_a_course_below_its_lessons_is_explained_on_the_form(studio) -> None:
    course = draft_course(days=14, written=[1, 10])

    response = studio.post(
        reverse("catalog:studio_course", args=[course.pk]),
        {"title": course.title, "category": "creative-arts", "duration_days": "7", "level": "BEGINNER"},
    )

    assert response.status_code == 422
    assert "cannot keep lessons for day 10" in response.content.decode()


def test_writing_the_lesson_of_a_day(studio) -> None:
    course = draft_course()

    response = studio.post(
        reverse("catalog:studio_lesson", args=[course.pk, 3]),
        {"title": "Shading", "day": "3", "duration_minutes": "12", "content_markdown": "Use **soft** pencils."},
    )

    assert response.status_code == 302
    lesson = course.lessons.get(day=3)
    assert lesson.title == "Shading"
    assert lesson.duration_minutes == 12


def test_moving_a_lesson_to_a_taken_day_is_refused_on_the_day_field(studio) -> None:
    course = draft_course(written=[1, 2])

    response = studio.post(
        reverse("catalog:studio_lesson", args=[course.pk, 2]),
        {"title": "Day two", "day": "1", "duration_minutes": "10", "content_markdown": "Kept text"},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Day 1 of this course already has a lesson" in page
    assert "Kept text" in page


def test_a_private_video_url_is_refused_on_its_field(studio) -> None:
    course = draft_course()

    response = studio.post(
        reverse("catalog:studio_lesson", args=[course.pk, 1]),
        {"title": "Day one", "day": "1", "duration_minutes": "10", "video_url": "http://169.254.169.254/latest"},
    )

    assert response.status_code == 422
    assert "points to a private, loopback or link-local address" in response.content.decode()
    assert not course.lessons.exists()


def test_a_video_is_uploaded_with_the_lesson(studio) -> None:
    course = draft_course()
    video = SimpleUploadedFile("day1.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200, content_type="video/mp4")

    studio.post(
        reverse("catalog:studio_lesson", args=[course.pk, 1]),
        {"title": "Day one", "day": "1", "duration_minutes": "10", "video_file": video},
    )

    assert (course.lessons.get().video.name or "").endswith(".mp4")


def test_a_fake_video_is_refused_and_no_lesson_is_saved(studio) -> None:
    course = draft_course()
    fake = SimpleUploadedFile("day1.mp4", b"MZ\x90\x00" + b"\x00" * 200, content_type="video/mp4")

    response = studio.post(
        reverse("catalog:studio_lesson", args=[course.pk, 1]),
        {"title": "Day one", "day": "1", "duration_minutes": "10", "video_file": fake},
    )

    assert response.status_code == 422
    assert "does not look like a video file" in response.content.decode()
    assert not course.lessons.exists()


def test_the_live_preview_renders_sanitised_markdown(studio) -> None:
    response = studio.post(
        reverse("catalog:studio_markdown_preview"),
        {"content_markdown": "## Shade\n\n<script>alert(1)</script> [x](javascript:alert(1)) **bold**"},
    )

    page = response.content.decode()
    assert "<h2>Shade</h2>" in page
    assert "<strong>bold</strong>" in page
    assert "<script>" not in page
    assert 'href="javascript:' not in page


def test_refresh_preview_without_javascript_saves_nothing(studio) -> None:
    course = draft_course()

    response = studio.post(
        reverse("catalog:studio_lesson", args=[course.pk, 1]),
        {"title": "", "day": "1", "duration_minutes": "10", "content_markdown": "*draft*", "preview": "1"},
    )

    assert response.status_code == 200
    assert "<em>draft</em>" in response.content.decode()
    assert not course.lessons.exists()


def test_a_thumbnail_that_is_not_an_image_is_refused_with_a_message(studio) -> None:
    course = draft_course()

    response = studio.post(
        reverse("catalog:studio_course_thumbnail", args=[course.pk]),
        {"thumbnail": SimpleUploadedFile("cover.png", b"not an image")},
    )

    assert response.status_code == 422
    assert "The thumbnail is not an image we can read" in response.content.decode()
