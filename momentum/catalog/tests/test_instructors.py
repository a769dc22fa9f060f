"""Instructors run their own courses: they create (and own) them, edit, publish as the site allows,
add co-instructors, follow their learners and figures; anyone else's course is 403
``not_course_owner``, and the site's administration stays the admins'."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.accounts.models import Notification, Role, User
from momentum.audit.models import AuditLog
from momentum.catalog.models import Course, CourseInstructor, Status
from momentum.catalog.staff import is_course_owner, is_course_staff
from momentum.learning.actions import do_enroll
from momentum.sitesettings.models import InstructorPublishing, SiteSettings
from tests.factories import make_course, make_history, make_user

pytestmark = pytest.mark.django_db

NEW_COURSE = {"title": "Watercolour in a week", "description": "Seven short sessions.", "category": "creative-arts",
              "duration_days": 7}  # fmt: skip


@pytest.fixture
def instructor(db: None) -> User:
    return make_user("ines@example.com", role=Role.INSTRUCTOR, display_name="Ines")


@pytest.fixture
def other_instructor(db: None) -> User:
    return make_user("otto@example.com", role=Role.INSTRUCTOR, display_name="Otto")


@pytest.fixture
def own_course(instructor: User) -> Course:
    """A complete, published course the instructor owns."""
    course = make_course("Ink drawing", slug="ink-drawing")
    Course.objects.filter(pk=course.pk).update(owner=instructor)
    course.refresh_from_db()
    return course


def _draft_of(owner: User, slug: str = "draft-course") -> Course:
    course = make_course("A draft", slug=slug, status=Status.DRAFT)
    Course.objects.filter(pk=course.pk).update(owner=owner, status=Status.DRAFT, published_at=None)
    course.refresh_from_db()
    return course


def _approval(mode: InstructorPublishing) -> None:
    SiteSettings.objects.update_or_create(id=1, defaults={"instructor_publishing": mode})


# --- Ownership --------------------------------------------------------------------------------------


def test_a_course_an_instructor_creates_is_theirs(api_as: Any, instructor: User) -> None:
    response = api_as(instructor).post("/courses", NEW_COURSE)

    assert response.status_code == 201
    assert response.json()["owner_id"] == instructor.pk
    assert response.json()["status"] == "DRAFT"
    assert Course.objects.get(pk=response.json()["id"]).owner == instructor


def test_an_instructor_edits_their_own_course(api_as: Any, instructor: User, own_course: Course) -> None:
    response = api_as(instructor).patch(f"/courses/{own_course.slug}", {"title": "Ink drawing, revised"})

    assert response.status_code == 200
    assert response.json()["title"] == "Ink drawing, revised"


def test_another_instructors_course_is_not_course_owner(
    api_as: Any, other_instructor: User, own_course: Course
) -> None:
    response = api_as(other_instructor).patch(f"/courses/{own_course.slug}", {"title": "Mine now"})

    assert (response.status_code, response.json()["code"]) == (403, "not_course_owner")
    own_course.refresh_from_db()
    assert own_course.title == "Ink drawing"


def test_a_site_course_is_for_admins_only(api_as: Any, instructor: User, admin: User) -> None:
    site_course = make_course("Site course", slug="site-course")
    assert site_course.owner is None

    refused = api_as(instructor).get(f"/courses/{site_course.slug}/enrollments")
    allowed = api_as(admin).get(f"/courses/{site_course.slug}/enrollments")

    assert (refused.status_code, refused.json()["code"]) == (403, "not_course_owner")
    assert allowed.status_code == 200


def test_a_learner_is_refused_course_staff_operations(api_as: Any, learner: User, own_course: Course) -> None:
    response = api_as(learner).get(f"/courses/{own_course.slug}/enrollments")

    assert (response.status_code, response.json()["code"]) == (403, "instructor_required")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/users"),
        ("GET", "/admin/audit-logs"),
        ("GET", "/admin/backups"),
        ("GET", "/admin/analytics/overview"),
        ("GET", "/admin/alarms"),
    ],
)
def test_an_instructor_has_no_part_in_the_sites_administration(
    api_as: Any, instructor: User, method: str, path: str
) -> None:
    response = api_as(instructor).generic(method, f"/api/v1{path}")

    assert (response.status_code, response.json()["code"]) == (403, "admin_required")


def test_an_instructor_is_refused_settings_payments_users_and_audit_pages(client: Any, instructor: User) -> None:
    client.force_login(instructor)

    for url in ("/studio/settings/", "/studio/payments/", "/studio/users/", "/studio/audit/", "/studio/"):
        assert client.get(url).status_code == 403, url


def test_a_demoted_instructor_no_longer_runs_their_courses(api_as: Any, instructor: User, own_course: Course) -> None:
    User.objects.filter(pk=instructor.pk).update(role=Role.FREE)
    instructor.refresh_from_db()

    assert not is_course_staff(instructor, own_course)
    assert api_as(instructor).get(f"/courses/{own_course.slug}/enrollments").status_code == 403


def test_who_runs_a_course(
    instructor: User, other_instructor: User, admin: User, learner: User, own_course: Course
) -> None:
    CourseInstructor.objects.create(course=own_course, user=other_instructor)

    assert [is_course_staff(u, own_course) for u in (admin, instructor, other_instructor, learner)] == [
        True, True, True, False,
    ]  # fmt: skip
    assert [is_course_owner(u, own_course) for u in (admin, instructor, other_instructor, learner)] == [
        True, True, False, False,
    ]  # fmt: skip


# --- Co-instructors -------------------------------------------------------------------------------


def test_the_owner_adds_a_co_instructor_who_may_then_edit(
    api_as: Any, instructor: User, other_instructor: User, own_course: Course
) -> None:
    added = api_as(instructor).post(f"/courses/{own_course.slug}/instructors", {"email": "OTTO@example.com"})
    edit = api_as(other_instructor).patch(f"/courses/{own_course.slug}", {"description": "Co-written"})

    assert added.status_code == 201
    assert [(p["email"], p["role"]) for p in added.json()["items"]] == [
        ("ines@example.com", "owner"), ("otto@example.com", "co_instructor"),
    ]  # fmt: skip
    assert edit.status_code == 200
    assert AuditLog.objects.filter(action="course.co_instructor_added", resource_id=str(own_course.pk)).exists()
    assert Notification.objects.filter(user=other_instructor, kind="course_co_instructor_added").exists()


def test_a_co_instructor_may_not_add_or_remove_others(
    api_as: Any, instructor: User, other_instructor: User, own_course: Course
) -> None:
    CourseInstructor.objects.create(course=own_course, user=other_instructor)
    make_user("third@example.com", role=Role.INSTRUCTOR)

    added = api_as(other_instructor).post(f"/courses/{own_course.slug}/instructors", {"email": "third@example.com"})
    removed = api_as(other_instructor).delete(f"/courses/{own_course.slug}/instructors/{other_instructor.pk}")

    assert (added.status_code, added.json()["code"]) == (403, "not_course_owner")
    assert (removed.status_code, removed.json()["code"]) == (403, "not_course_owner")
    assert CourseInstructor.objects.filter(course=own_course).count() == 1


def test_only_an_instructor_account_can_be_a_co_instructor(
    api_as: Any, instructor: User, learner: User, own_course: Course
) -> None:
    response = api_as(instructor).post(f"/courses/{own_course.slug}/instructors", {"email": learner.email})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"


def test_adding_the_same_co_instructor_twice_is_a_conflict(
    api_as: Any, instructor: User, other_instructor: User, own_course: Course
) -> None:
    client = api_as(instructor)
    client.post(f"/courses/{own_course.slug}/instructors", {"email": other_instructor.email})

    again = client.post(f"/courses/{own_course.slug}/instructors", {"email": other_instructor.email})
    owner = client.post(f"/courses/{own_course.slug}/instructors", {"email": instructor.email})

    assert (again.status_code, again.json()["code"]) == (409, "already_course_staff")
    assert (owner.status_code, owner.json()["code"]) == (409, "already_course_staff")


def test_removing_a_co_instructor_takes_the_course_out_of_their_hands(
    api_as: Any, instructor: User, other_instructor: User, own_course: Course
) -> None:
    CourseInstructor.objects.create(course=own_course, user=other_instructor)

    removed = api_as(instructor).delete(f"/courses/{own_course.slug}/instructors/{other_instructor.pk}")
    after = api_as(other_instructor).get(f"/courses/{own_course.slug}/enrollments")

    assert removed.status_code == 204
    assert after.status_code == 403
    assert AuditLog.objects.filter(action="course.co_instructor_removed").count() == 1


def test_the_database_keeps_one_row_per_course_and_co_instructor(other_instructor: User, own_course: Course) -> None:
    from django.db import IntegrityError, transaction

    CourseInstructor.objects.create(course=own_course, user=other_instructor)
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseInstructor.objects.create(course=own_course, user=other_instructor)


# --- Publishing -----------------------------------------------------------------------------------


def test_where_an_admin_approves_an_instructors_publish_waits_in_the_queue(
    api_as: Any, instructor: User, admin: User
) -> None:
    _approval(InstructorPublishing.APPROVAL)
    draft = _draft_of(instructor)

    response = api_as(instructor).post(f"/courses/{draft.slug}/publish")

    assert response.status_code == 200
    assert response.json()["status"] == "DRAFT"
    assert response.json()["publish_requested_at"] is not None
    assert AuditLog.objects.filter(action="course.publish_requested").count() == 1
    assert Notification.objects.filter(user=admin, kind="course_publish_requested").count() == 1


def test_an_admins_publish_approves_a_waiting_course(api_as: Any, instructor: User, admin: User) -> None:
    _approval(InstructorPublishing.APPROVAL)
    draft = _draft_of(instructor)
    api_as(instructor).post(f"/courses/{draft.slug}/publish")

    response = api_as(admin).post(f"/courses/{draft.slug}/publish")

    assert response.status_code == 200
    assert response.json()["status"] == "PUBLISHED"
    assert response.json()["publish_requested_at"] is None


def test_an_instructor_asking_twice_is_told_once(api_as: Any, instructor: User, admin: User) -> None:
    _approval(InstructorPublishing.APPROVAL)
    draft = _draft_of(instructor)

    for _ in range(2):
        api_as(instructor).post(f"/courses/{draft.slug}/publish")

    assert Notification.objects.filter(user=admin, kind="course_publish_requested").count() == 1


def test_an_incomplete_course_is_refused_before_it_reaches_the_queue(api_as: Any, instructor: User) -> None:
    _approval(InstructorPublishing.APPROVAL)
    created = api_as(instructor).post("/courses", NEW_COURSE).json()

    response = api_as(instructor).post(f"/courses/{created['id']}/publish")

    assert (response.status_code, response.json()["code"]) == (409, "incomplete_course")
    assert Course.objects.get(pk=created["id"]).publish_requested_at is None


def test_where_instructors_publish_their_course_goes_live_at_once(api_as: Any, instructor: User) -> None:
    _approval(InstructorPublishing.PUBLISH)
    draft = _draft_of(instructor)

    response = api_as(instructor).post(f"/courses/{draft.slug}/publish")

    assert response.json()["status"] == "PUBLISHED"


def test_the_database_refuses_a_published_course_awaiting_approval(own_course: Course) -> None:
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.filter(pk=own_course.pk).update(publish_requested_at=timezone.now())


# --- Learners and figures -------------------------------------------------------------------------


def test_an_instructor_sees_their_courses_learners_and_figures(
    api_as: Any, instructor: User, own_course: Course
) -> None:
    learner = make_user("lena@example.com")
    make_history(learner, own_course)  # enrolled, every lesson done, completed
    do_enroll(make_user("leo@example.com"), own_course)

    learners = api_as(instructor).get(f"/courses/{own_course.slug}/enrollments").json()
    figures = api_as(instructor).get(f"/courses/{own_course.slug}/analytics").json()

    assert {item["user"]["email"] for item in learners["items"]} == {"lena@example.com", "leo@example.com"}
    assert (figures["enrollments_total"], figures["completions_total"], figures["completion_rate"]) == (2, 1, 0.5)
    assert figures["days"][0] == {"day": 1, "learners_completed": 1}
    assert len(figures["days"]) == own_course.duration_days


def test_an_instructors_figures_are_their_courses_only(
    api_as: Any, instructor: User, own_course: Course, other_instructor: User
) -> None:
    others = _draft_of(other_instructor, slug="otto-course")

    theirs = api_as(instructor).get(f"/courses/{others.slug}/analytics")
    stats = api_as(instructor).get(f"/courses/{others.slug}/quiz-stats")

    assert (theirs.status_code, theirs.json()["code"]) == (403, "not_course_owner")
    assert (stats.status_code, stats.json()["code"]) == (403, "not_course_owner")
