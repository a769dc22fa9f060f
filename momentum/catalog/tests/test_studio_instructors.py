"""The studio as an instructor sees it: only their courses and generation in the menu and the list,
the co-instructor control on their course, the ask-to-publish button; and the admins' approval queue."""

from __future__ import annotations

import pytest

from momentum.accounts.models import Role, User
from momentum.catalog.models import Course, CourseInstructor, Status
from momentum.sitesettings.models import InstructorPublishing, SiteSettings
from tests.factories import make_course, make_user, signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructor(db: None) -> User:
    return make_user("ines@example.com", role=Role.INSTRUCTOR, display_name="Ines")


@pytest.fixture
def own_course(instructor: User) -> Course:
    course = make_course("Ink drawing", slug="ink-drawing", status=Status.DRAFT)
    Course.objects.filter(pk=course.pk).update(owner=instructor, status=Status.DRAFT, published_at=None)
    course.refresh_from_db()
    return course


def test_an_instructors_studio_menu_has_only_courses_and_generate(instructor: User, own_course: Course) -> None:
    page = signed_in_client(instructor).get("/studio/courses/").content.decode()

    menu = page.split('id="studio-links"', 1)[1].split("</div>", 1)[0]
    assert ">Courses<" in menu
    assert ">Generate<" in menu
    for admin_only in ("Users", "Payments", "Audit log", "Settings", "Operations", "Analytics"):
        assert f">{admin_only}<" not in menu


def test_an_instructors_course_list_shows_only_the_courses_they_run(instructor: User, own_course: Course) -> None:
    make_course("Someone else's course", slug="someone-elses")
    co_taught = make_course("Co-taught course", slug="co-taught")
    CourseInstructor.objects.create(course=co_taught, user=instructor)

    page = signed_in_client(instructor).get("/studio/courses/").content.decode()

    assert "Ink drawing" in page
    assert "Co-taught course" in page
    assert "Someone else" not in page


def test_another_instructors_course_page_says_not_allowed(instructor: User) -> None:
    other = make_user("otto@example.com", role=Role.INSTRUCTOR)
    course = make_course("Otto's course", slug="ottos-course")
    Course.objects.filter(pk=course.pk).update(owner=other)

    response = signed_in_client(instructor).get(f"/studio/courses/{course.pk}/")

    assert response.status_code == 403
    assert "its co-instructors and admins may do this." in response.content.decode()


def test_the_owner_adds_a_co_instructor_from_the_course_page(instructor: User, own_course: Course) -> None:
    other = make_user("otto@example.com", role=Role.INSTRUCTOR, display_name="Otto")
    client = signed_in_client(instructor)

    response = client.post(f"/studio/courses/{own_course.pk}/instructors/", {"email": "otto@example.com"}, follow=True)

    assert CourseInstructor.objects.filter(course=own_course, user=other).exists()
    page = response.content.decode()
    assert "Otto now teaches this course with you." in page
    assert "Co-instructor" in page


def test_where_an_admin_approves_the_publish_button_asks(instructor: User, own_course: Course) -> None:
    SiteSettings.objects.update_or_create(id=1, defaults={"instructor_publishing": InstructorPublishing.APPROVAL})
    client = signed_in_client(instructor)
    assert "Ask to publish" in client.get(f"/studio/courses/{own_course.pk}/").content.decode()

    response = client.post(f"/studio/courses/{own_course.pk}/publish/", follow=True)

    assert "awaits an admin&#x27;s approval" in response.content.decode()
    own_course.refresh_from_db()
    assert (own_course.status, own_course.publish_requested_at is not None) == (Status.DRAFT, True)


def test_admins_see_the_courses_awaiting_their_approval(admin: User, instructor: User, own_course: Course) -> None:
    SiteSettings.objects.update_or_create(id=1, defaults={"instructor_publishing": InstructorPublishing.APPROVAL})
    signed_in_client(instructor).post(f"/studio/courses/{own_course.pk}/publish/")

    page = signed_in_client(admin).get("/studio/courses/").content.decode()

    queue = page.split('id="approval-queue"', 1)[1].split("</section>", 1)[0]
    assert "Ink drawing" in queue
    assert "by Ines" in queue


def test_an_admin_sets_how_instructors_publish(admin: User) -> None:
    client = signed_in_client(admin)
    form = {
        "site_name": "Momentum", "generation_daily_quota": 10, "generation_daily_budget_usd": "20.00",
        "generation_monthly_budget_usd": "100.00", "instructor_publishing": "PUBLISH",
        "instructor_generation_daily_quota": 2, "instructor_generation_daily_budget_usd": "3.50",
    }  # fmt: skip

    response = client.post("/studio/settings/", form)

    assert response.status_code == 302
    row = SiteSettings.objects.get(id=1)
    assert (row.instructor_publishing, row.instructor_generation_daily_quota) == ("PUBLISH", 2)
