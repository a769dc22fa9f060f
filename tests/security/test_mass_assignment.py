"""Mass assignment: privileged fields in the bodies of non-admin calls are ignored or refused
(422), never applied: role, status, price, email_verified, is_staff/is_superuser, is_active,
owner and user ids, premium flags, amounts, timestamps.

BODIES gives a valid body for every non-admin state-changing API operation; the first test fails
when a new one appears without an entry, so it cannot ship without this check.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client
from django.test.client import MULTIPART_CONTENT

from conftest import ApiClient
from momentum.accounts.models import Role, User
from momentum.accounts.policy import Access
from momentum.billing.models import Payment
from momentum.catalog.models import Course
from momentum.discussions.models import Comment
from momentum.learning.models import Enrollment, LessonProgress
from tests.factories import PASSWORD, make_course
from tests.test_access_matrix import OPERATIONS, World, fill

pytestmark = pytest.mark.django_db

PRIVILEGED: dict[str, Any] = {
    "role": "ADMIN", "status": "PUBLISHED", "price": 0, "price_cents": 1, "amount_cents": 1, "currency": "xxx",
    "email_verified": True, "is_staff": True, "is_superuser": True, "is_active": True, "is_admin": True,
    "is_premium": False, "premium": True, "mfa_enabled": False, "user": 1, "user_id": 1, "owner": 1,
    "owner_id": 1, "created_by": 1, "id": 999_999, "email": "taken.over@example.com",
    "completed_at": "2000-01-01T00:00:00Z", "enrolled_at": "2000-01-01T00:00:00Z", "created_at": "2000-01-01T00:00:00Z",
    "entitled": True, "paid": True, "payment_status": "PAID",
    "author": 1, "author_id": 1, "hidden": True, "hidden_at": "2000-01-01T00:00:00Z", "cohort_id": 999_999,
}  # fmt: skip

# Valid bodies of the non-admin writes (the privileged fields are merged into each).
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/auth/register"): {
        "email": "new.person@example.com",
        "password": "Plum-tree-rises-77",
        "display_name": "New Person",
    },
    ("POST", "/api/v1/auth/token"): {"email": "owen.owner@example.com", "password": PASSWORD},
    ("POST", "/api/v1/auth/refresh"): {"refresh_token": "not-a-token"},
    ("POST", "/api/v1/auth/logout"): {"refresh_token": "not-a-token"},
    ("POST", "/api/v1/auth/verify-email"): {"key": "not-a-key"},
    ("POST", "/api/v1/auth/password-reset"): {"email": "owen.owner@example.com"},
    ("PATCH", "/api/v1/me"): {"display_name": "Owen"},
    ("DELETE", "/api/v1/me"): {"password": "not my password"},
    ("POST", "/api/v1/courses/{course}/enrollment"): {},
    ("DELETE", "/api/v1/courses/{course}/enrollment"): {},
    ("PUT", "/api/v1/courses/{course}/lessons/{lesson}/progress"): {"completed": True, "position_seconds": 30},
    # Refused (the world's quiz has a question left unanswered): a learner cannot post their own score.
    ("POST", "/api/v1/courses/{course}/lessons/{lesson}/quiz/attempts"): {
        "answers": [],
        "score_percent": 100,
        "passed": True,
        "attempts_used": 0,
    },
    ("POST", "/api/v1/checkout"): {"course": "paid-course"},
    ("POST", "/api/v1/courses/{course}/lessons/{lesson}/comments"): {"body_markdown": "A learner's comment"},
    ("PATCH", "/api/v1/comments/{comment_id}"): {"body_markdown": "Edited"},
    ("DELETE", "/api/v1/comments/{comment_id}"): {},
    # Refused: a learner is not on the course's staff.
    ("POST", "/api/v1/comments/{comment_id}/hide"): {},
    ("POST", "/api/v1/comments/{comment_id}/restore"): {},
    ("POST", "/api/v1/comments/{comment_id}/report"): {},
    ("PATCH", "/api/v1/me/notification-preferences"): {
        "items": [{"kind": "reply", "in_app": True, "email": False, "push": False}]
    },
    ("POST", "/api/v1/me/notifications/read"): {"ids": []},
    # Refused (422): keys that are no browser's.
    ("POST", "/api/v1/me/push-subscriptions"): {
        "endpoint": "https://push.example.net/send/1",
        "keys": {"p256dh": "not-a-key", "auth": "not-a-secret"},
    },
    # Refused (404): the caller has no subscription with this endpoint.
    ("DELETE", "/api/v1/me/push-subscriptions"): {"endpoint": "https://push.example.net/none"},
}
# The writes whose valid body is accepted (extra fields ignored); the others refuse it (401/404/422).
ACCEPTED = {
    ("POST", "/api/v1/auth/register"), ("POST", "/api/v1/auth/token"), ("PATCH", "/api/v1/me"),
    ("POST", "/api/v1/courses/{course}/enrollment"), ("DELETE", "/api/v1/courses/{course}/enrollment"),
    ("PUT", "/api/v1/courses/{course}/lessons/{lesson}/progress"), ("POST", "/api/v1/checkout"),
    ("POST", "/api/v1/courses/{course}/lessons/{lesson}/comments"), ("PATCH", "/api/v1/comments/{comment_id}"),
    ("DELETE", "/api/v1/comments/{comment_id}"), ("PATCH", "/api/v1/me/notification-preferences"),
    ("POST", "/api/v1/me/notifications/read"),
}  # fmt: skip
# Non-admin writes with no JSON body of fields to abuse, and why.
NO_FIELDS = {
    ("POST", "/api/v1/payments/webhook"): "the provider's signed event; an unsigned body is refused (test_webhooks)",
}

NON_ADMIN_WRITES = sorted(
    (method, path) for method, path, access in OPERATIONS
    if method in ("POST", "PUT", "PATCH", "DELETE") and access not in (Access.ADMIN, Access.COURSE_STAFF)
)  # fmt: skip


def test_every_non_admin_write_has_a_mass_assignment_case() -> None:
    missing = [f"{m} {p}" for m, p in NON_ADMIN_WRITES if (m, p) not in BODIES and (m, p) not in NO_FIELDS]
    assert not missing, "Add a valid body to BODIES for:\n" + "\n".join(missing)


# The account's privileges (there is no is_staff/is_superuser: the role is the only one).
ACCOUNT_PRIVILEGES = [
    name for name in ("role", "email_verified", "is_active", "is_staff", "is_superuser", "erased_at")
    if name in {field.name for field in User._meta.get_fields()}
]  # fmt: skip


def _guarded(world: World) -> dict[str, Any]:
    """What no learner's call may change: accounts' privileges, courses' terms, payments' amounts."""
    return {
        "users": sorted(User.objects.values_list("email", *ACCOUNT_PRIVILEGES)),
        "courses": sorted(Course.objects.values_list("slug", "status", "is_premium", "price_cents", "created_by")),
        "payments": sorted(Payment.objects.values_list("user_id", "amount_cents", "currency", "status")),
        "others_enrolments": sorted(Enrollment.objects.exclude(user=world.owner).values_list("user_id", "course_id")),
        "others_progress": LessonProgress.objects.exclude(user=world.owner).count(),
        "others_comments": sorted(Comment.objects.exclude(author=world.owner).values_list("pk", "body_markdown")),
        "comments_by_others_in_a_cohort_or_hidden": Comment.objects.filter(
            ~Q(author=world.owner) | Q(cohort__isnull=False) | Q(hidden_at__isnull=False)
        ).count(),
    }


@pytest.mark.parametrize(("method", "path"), sorted(BODIES), ids=[f"{m} {p}" for m, p in sorted(BODIES)])
def test_privileged_fields_in_a_learners_body_are_never_applied(world: World, method: str, path: str) -> None:
    make_course("Paid course", slug="paid-course", is_premium=True, price_cents=4900)
    Course.objects.filter(slug="paid-course").update(is_premium=True, price_cents=4900)
    caller = ApiClient() if path.startswith("/api/v1/auth/") and "logout" not in path else ApiClient(world.owner)
    body = {**PRIVILEGED, "user": world.stranger.pk, "user_id": world.stranger.pk, "owner": world.stranger.pk,
            **BODIES[(method, path)]}  # fmt: skip
    before = _guarded(world)
    payments_before = list(Payment.objects.values_list("pk", flat=True))

    response = caller.generic(method, fill(world, path), _json(body), "application/json")

    assert response.status_code < 500, response.content
    if (method, path) in ACCEPTED:  # ignored, not refused: the call itself went through
        assert response.status_code in (200, 201, 204), response.content
    after = _guarded(world)
    if path.endswith("/register") and response.status_code == 201:
        created = User.objects.get(email="new.person@example.com")
        assert (created.role, created.email_verified, created.is_admin) == (Role.FREE, False, False)
        after["users"] = [row for row in after["users"] if row[0] != "new.person@example.com"]
    if path.endswith("/checkout") and response.status_code == 201:
        new = Payment.objects.exclude(pk__in=payments_before).get()
        assert (new.user_id, new.amount_cents) == (world.owner.pk, 4900), "charged someone else or another price"
        after["payments"] = sorted(Payment.objects.filter(pk__in=payments_before).values_list(
            "user_id", "amount_cents", "currency", "status"))  # fmt: skip
    assert after == before, f"{method} {path} answered {response.status_code} and applied a privileged field"
    world.owner.refresh_from_db()
    assert world.owner.email == "owen.owner@example.com"


def _multipart(world: World, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` as form fields (a null is left out: a form has no null) with a valid package: the
    world's course, exported."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from momentum.coursepackages.queries import package_file

    with package_file(world.course) as package:
        data = package.read()
    fields = {name: value if isinstance(value, str) else json.dumps(value) for name, value in body.items()
              if value is not None}  # fmt: skip
    return {**fields, "file": SimpleUploadedFile("course.zip", data, content_type="application/zip")}


def _json(body: dict[str, Any]) -> str:
    import json

    return json.dumps(body)


def test_the_profile_page_ignores_privileged_fields(world: World) -> None:
    client = Client()
    client.force_login(world.owner)
    form = {"display_name": "Owen", "timezone": "UTC", **{k: str(v) for k, v in PRIVILEGED.items()}}
    before = _guarded(world)

    response = client.post("/profile/", form)

    assert response.status_code in (200, 302, 422)
    assert _guarded(world) == before


def test_the_sign_up_page_ignores_privileged_fields(world: World) -> None:
    form = {"email": "page.person@example.com", "password1": "Plum-tree-rises-77", "password2": "Plum-tree-rises-77",
            "display_name": "Page Person", **{k: str(v) for k, v in PRIVILEGED.items() if k != "email"}}  # fmt: skip

    Client().post("/accounts/signup/", form)

    created = User.objects.get(email="page.person@example.com")
    assert (created.role, created.email_verified, created.is_admin) == (Role.FREE, False, False)


def test_a_checkout_from_a_forged_host_is_refused(world: World) -> None:
    """Return URLs are built from the request's host: an unknown Host header never gets that far."""
    make_course("Paid course", slug="paid-course", is_premium=True, price_cents=4900)
    before = Payment.objects.count()

    response = ApiClient(world.owner).post("/checkout", {"course": "paid-course"}, HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert Payment.objects.count() == before


# --- Course staff: an instructor's body names no other owner, status or account ------------------

TRUE_FALSE = [{"text": "True", "correct": True}, {"text": "False", "correct": False}]
QUIZ = {"questions": [{"kind": "true_false", "prompt": "Is it?", "explanation": "", "options": TRUE_FALSE}]}
STAFF_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/courses"): {"title": "Mine", "description": "", "category": "technology", "duration_days": 7},
    ("PATCH", "/api/v1/courses/{course}"): {"title": "Renamed"},
    ("DELETE", "/api/v1/courses/{course}"): {},
    ("POST", "/api/v1/courses/{course}/publish"): {},
    ("POST", "/api/v1/courses/{course}/archive"): {},
    ("POST", "/api/v1/courses/{course}/lessons"): {"day": 3, "title": "Another", "content_markdown": "Text"},
    ("PATCH", "/api/v1/courses/{course}/lessons/{lesson}"): {"title": "Renamed lesson"},
    ("DELETE", "/api/v1/courses/{course}/lessons/{lesson}"): {},
    ("PUT", "/api/v1/courses/{course}/lessons/{lesson}/quiz"): QUIZ,
    ("DELETE", "/api/v1/courses/{course}/lessons/{lesson}/quiz"): {},
    ("POST", "/api/v1/courses/{course}/cohorts"): {"name": "Spring", "starts_on": "2027-03-01"},
    ("PATCH", "/api/v1/enrollments/{id}"): {"unlock_all": True},
    ("POST", "/api/v1/courses/{course}/instructors"): {"email": "cora.coinstructor@example.com"},
    ("DELETE", "/api/v1/courses/{course}/instructors/{instructor}"): {},
    ("POST", "/api/v1/generation-jobs"): {"topic": "Knife skills", "category": "technology", "duration_days": 7},
    ("POST", "/api/v1/generation-jobs/{id}/cancel"): {},
    ("POST", "/api/v1/generation-jobs/{id}/retry"): {},
    ("POST", "/api/v1/courses/import"): {"category": ""},  # multipart, with the package in ``file``: MULTIPART
}
# Operations whose body is multipart: the fields above and the privileged ones go as form fields,
# with the file each needs to be valid.
MULTIPART_FILES = {("POST", "/api/v1/courses/import"): "course package"}
STAFF_NO_FIELDS = {
    (
        "POST",
        "/api/v1/courses/{course}/thumbnail",
    ): "multipart: the file is its only field (tests/security/test_uploads.py)",
    ("POST", "/api/v1/courses/{course}/lessons/{lesson}/video"): "multipart: the file is its only field (test_uploads)",
    ("POST", "/api/v1/reference-documents"): "multipart: the PDF is its only field (test_uploads)",
    ("POST", "/api/v1/courses/{course}/captions"): "multipart: the caption file and its language (test_uploads)",
}
STAFF_WRITES = sorted(
    (method, path) for method, path, access in OPERATIONS
    if method in ("POST", "PUT", "PATCH", "DELETE") and access is Access.COURSE_STAFF
)  # fmt: skip
# The writes whose purpose is to change a course's status.
CHANGES_STATUS = {("DELETE", "/api/v1/courses/{course}"), ("POST", "/api/v1/courses/{course}/publish"),
                  ("POST", "/api/v1/courses/{course}/archive")}  # fmt: skip


def test_every_course_staff_write_has_a_mass_assignment_case() -> None:
    missing = [f"{m} {p}" for m, p in STAFF_WRITES if (m, p) not in STAFF_BODIES and (m, p) not in STAFF_NO_FIELDS]
    assert not missing, "Add a valid body to STAFF_BODIES for:\n" + "\n".join(missing)


def _staff_guarded(world: World, *, with_status: bool) -> dict[str, Any]:
    """What no instructor's call may change: accounts' privileges, who owns and made each course and
    job, payments; and courses' statuses, unless the call is a publish, archive or delete."""
    from momentum.generation.models import GenerationJob

    course_fields = ("slug", "owner_id", "created_by", *(("status",) if with_status else ()))
    return {
        "users": sorted(User.objects.values_list("email", *ACCOUNT_PRIVILEGES)),
        "courses": sorted(Course.objects.exclude(owner=None, created_by=None).values_list(*course_fields)),
        "jobs": sorted((str(pk), by) for pk, by in GenerationJob.objects.values_list("pk", "created_by")),
        "payments": sorted(Payment.objects.values_list("user_id", "amount_cents", "currency", "status")),
    }


@pytest.mark.parametrize(("method", "path"), sorted(STAFF_BODIES), ids=[f"{m} {p}" for m, p in sorted(STAFF_BODIES)])
def test_privileged_fields_in_an_instructors_body_are_never_applied(world: World, method: str, path: str) -> None:
    instructor = world.users["instructor"]
    body = {**PRIVILEGED, "user": world.stranger.pk, "user_id": world.stranger.pk, "owner": world.stranger.pk,
            "owner_id": world.stranger.pk, "created_by": world.stranger.pk, "publish_requested_at": None,
            **STAFF_BODIES[(method, path)]}  # fmt: skip
    with_status = (method, path) not in CHANGES_STATUS
    before = _staff_guarded(world, with_status=with_status)
    jobs_before = {pk for pk, _ in before["jobs"]}

    if (method, path) in MULTIPART_FILES:
        response = ApiClient(instructor).post(
            fill(world, path), _multipart(world, body), content_type=MULTIPART_CONTENT
        )
    else:
        response = ApiClient(instructor).generic(method, fill(world, path), _json(body), "application/json")

    assert response.status_code < 500, response.content
    after = _staff_guarded(world, with_status=with_status)
    if method == "POST" and path == "/api/v1/courses" and response.status_code == 201:
        created = Course.objects.get(pk=response.json()["id"])
        assert (created.owner_id, created.created_by_id, created.status) == (instructor.pk, instructor.pk, "DRAFT")
        after["courses"] = [row for row in after["courses"] if row[0] != created.slug]
    if path == "/api/v1/courses/import":
        assert response.status_code == 201, response.content
        created = Course.objects.get(pk=response.json()["id"])
        assert (created.owner_id, created.created_by_id, created.status) == (instructor.pk, instructor.pk, "DRAFT")
        after["courses"] = [row for row in after["courses"] if row[0] != created.slug]
    if path == "/api/v1/generation-jobs" and response.status_code == 202:
        assert [by for pk, by in after["jobs"] if pk not in jobs_before] == [instructor.pk]
        after["jobs"] = [row for row in after["jobs"] if row[0] in jobs_before]
    assert after == before, f"{method} {path} answered {response.status_code} and applied a privileged field"
