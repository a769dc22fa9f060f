"""The studio's user pages: find people, change their role, deactivate them, see their trail."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from momentum.accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(admin) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def test_the_user_list_filters_by_role_and_search(studio, learner, premium_learner) -> None:
    premium = studio.get(reverse("accounts:studio_users"), {"role": "PREMIUM"}).content.decode()
    found = studio.get(reverse("accounts:studio_users"), {"q": "lee"}).content.decode()

    assert "pia.premium@example.com" in premium
    assert "lee.learner@example.com" not in premium
    assert "lee.learner@example.com" in found
    assert "pia.premium@example.com" not in found


def test_learners_cannot_open_the_user_pages(learner) -> None:
    client = Client()
    client.force_login(learner)
    assert client.get(reverse("accounts:studio_users")).status_code == 403
    assert client.post(reverse("accounts:studio_user_role", args=[learner.pk]), {"role": "ADMIN"}).status_code == 403
    learner.refresh_from_db()
    assert learner.role == Role.FREE


def test_changing_a_role_shows_in_the_persons_audit_trail(studio, learner) -> None:
    response = studio.post(reverse("accounts:studio_user_role", args=[learner.pk]), {"role": "PREMIUM"}, follow=True)

    page = response.content.decode()
    learner.refresh_from_db()
    assert learner.role == Role.PREMIUM
    assert "Lee Learner is now premium learner." in page
    assert "account.role_changed" in page
    assert "from: FREE; to: PREMIUM" in page


def test_deactivating_an_account(studio, learner) -> None:
    studio.post(reverse("accounts:studio_user_active", args=[learner.pk]), {"active": "0"})

    learner.refresh_from_db()
    assert not learner.is_active
    page = studio.get(reverse("accounts:studio_user", args=[learner.pk])).content.decode()
    assert "Deactivated" in page
    assert "Reactivate account" in page


def test_the_only_admin_sees_why_they_cannot_step_down(studio, admin) -> None:
    response = studio.post(reverse("accounts:studio_user_role", args=[admin.pk]), {"role": "FREE"})

    assert response.status_code == 409
    assert "The site must keep an active admin" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_the_user_page_lists_enrolments_with_progress(studio, learner) -> None:
    from momentum.catalog.tests.authoring import published_course
    from momentum.learning.models import Enrollment, LessonProgress

    course = published_course(title="Seven days of sketching")
    Enrollment.objects.create(user=learner, course=course)
    for day in (1, 2):
        lesson = course.lessons.get(day=day)
        LessonProgress.objects.create(
            user=learner, lesson=lesson, course=course, completed=True, completed_at=lesson.created_at,
            completed_on=lesson.created_at.date(),
        )  # fmt: skip

    page = studio.get(reverse("accounts:studio_user", args=[learner.pk])).content.decode()

    assert "Seven days of sketching" in page
    assert 'value="29"' in page  # 2 of 7 lessons
    assert "2/7" in page


def test_a_deleted_account_shows_as_deleted_not_with_its_old_role(studio, premium_learner) -> None:
    from momentum.accounts.actions import do_erase_account

    do_erase_account(premium_learner, request=None)

    listed = studio.get(reverse("accounts:studio_users"), {"status": "inactive"}).content.decode()
    detail = studio.get(reverse("accounts:studio_user", args=[premium_learner.pk])).content.decode()
    for page in (listed, detail):
        assert '<span class="tag neutral">Deleted</span>' in page
        assert '<span class="tag">Premium</span>' not in page


def test_a_deleted_accounts_role_cannot_be_changed(studio, learner) -> None:
    from momentum.accounts.actions import do_erase_account

    do_erase_account(learner, request=None)

    response = studio.post(reverse("accounts:studio_user_role", args=[learner.pk]), {"role": "ADMIN"}, follow=True)

    learner.refresh_from_db()
    assert learner.role == Role.FREE
    assert response.status_code < 500
