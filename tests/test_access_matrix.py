"""The authorisation matrix: every page and every API operation, called as six personas, answers
as the access it declares (momentum/accounts/policy.py) says it must.

Data-driven: operations and pages are discovered from the URL configuration and the API, their
declared Access read from them, and their path parameters filled with real objects from the
``world`` fixture. A new operation is covered without editing this file, unless it names a path
parameter nobody has given a value yet: then the test says which one to add to PARAMETERS.

    anonymous    no account
    unverified   FREE, email not verified
    free         FREE, verified
    premium      PREMIUM, verified
    admin        ADMIN, verified
    instructor   INSTRUCTOR, verified, owner of the world's courses, generation job and reference document

"Denied" is 401 (API) or a redirect to the sign-in page (pages) for anonymous callers, and 403
for signed-in callers whose account does not qualify. "Allowed" is any answer that is neither
and is not a server error (a 404, 409 or 422 means the caller was let in and the input judged).
Object-level rules (OWNER) and guessing other people's IDs have their own tests below; another
instructor's course (COURSE_STAFF) has its own in tests/security/test_idor.py.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import ApiClient
from momentum.accounts import gdpr
from momentum.accounts.models import Role, User
from momentum.accounts.policy import SIGNED_IN, Access, declared_access
from momentum.api import api
from momentum.assessments.actions import do_put_quiz
from momentum.assessments.specs import OptionSpec, QuestionKind, QuestionSpec, QuizSpec
from momentum.billing.models import Payment, Subscription
from momentum.catalog.models import Category, Course, CourseInstructor
from momentum.discussions.models import Comment
from momentum.generation.models import GenerationJob
from momentum.generation.references.models import ReferenceDocument
from momentum.learning.models import Enrollment
from momentum.learning.reminders import unsubscribe_token
from momentum.recovery.models import BackupRun
from tests.factories import make_course, make_history, make_user
from tests.test_access_declared import NOT_PAGES
from tests.test_access_declared import page_access as declared_page_access

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "unverified", "free", "premium", "admin", "instructor")


# --- Who is let in, by declared access ------------------------------------------------------


def admitted(access: Access, persona: str) -> bool | None:
    """Whether ``persona`` passes ``access``; None when only the operation itself can say (PROVIDER)."""
    if access is Access.PROVIDER:
        return None
    if access is Access.PUBLIC:
        return True
    if persona == "anonymous":
        return False
    return {
        Access.AUTHENTICATED: True,
        Access.OWNER: True,  # the object-level check is the operation's: see the IDOR tests
        Access.VERIFIED: persona != "unverified",
        Access.PREMIUM: persona in ("premium", "admin"),
        Access.ADMIN: persona == "admin",
        # the instructor persona runs the world's courses: the course-level check lets them in too
        Access.COURSE_STAFF: persona in ("admin", "instructor"),
    }[access]


# --- The world the calls are made in ------------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    course: Course
    draft: Course
    job: GenerationJob
    document: ReferenceDocument
    owner: User  # a learner whose objects strangers try to reach
    stranger: User
    co_instructor: User  # teaches the world's course with the instructor persona


@pytest.fixture(scope="module")
def _world_of_the_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world, made once for a module inside a transaction that is rolled back after its last
    test. Each test runs in a savepoint of it (pytest-django's ``db``), so no test sees another's
    changes; making it for every test cost 143 ms of CPU a test, over some 800 tests a pass.
    A module that uses it holds no test on committed data (the root conftest refuses one)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_world_of_the_module: World, db: None) -> World:
    """The module's world, as it was made: a copy, so that a test changing an object in memory
    leaves the next test the original (its database changes are rolled back with its savepoint)."""
    return copy.deepcopy(_world_of_the_module)


@pytest.fixture
def committed_world(transactional_db: None) -> World:
    """The world made for this test alone, committed: for tests whose requests come from other
    threads (a live server and its browser)."""
    return build_world()


def build_world() -> World:
    users = {
        "unverified": make_user("uma@example.com", verified=False),
        "free": make_user("fred@example.com"),
        "premium": make_user("pia@example.com", role=Role.PREMIUM),
        "admin": make_user("ada@example.com", role=Role.ADMIN),
        "instructor": make_user("ines.instructor@example.com", role=Role.INSTRUCTOR),
    }
    owner = make_user("owen.owner@example.com")
    course = make_course("Matrix course", slug="matrix-course")
    co_instructor = make_user("cora.coinstructor@example.com", role=Role.INSTRUCTOR)
    history = make_history(owner, course)
    do_put_quiz(None, course.lessons.get(day=1), QuizSpec(questions=(QuestionSpec(
        QuestionKind.TRUE_FALSE, "Is this a quiz?", "", (OptionSpec("True", True), OptionSpec("False", False))
    ),)))  # fmt: skip
    draft = make_course("Draft course", slug="matrix-draft")
    Course.objects.filter(pk=draft.pk).update(status="DRAFT", published_at=None)
    Course.objects.filter(pk__in=[course.pk, draft.pk]).update(owner=users["instructor"])
    course.refresh_from_db()
    CourseInstructor.objects.create(course=course, user=co_instructor, added_by=users["instructor"])
    job = GenerationJob.objects.create(
        created_by=users["instructor"], topic="Sleep", category=Category.objects.earliest("pk"), duration_days=7
    )
    document = ReferenceDocument.objects.create(
        file="references/matrix.pdf", filename="matrix.pdf", size_bytes=10, sha256="0" * 64,
        uploaded_by=users["instructor"],
    )  # fmt: skip
    del history
    for persona in ("unverified", "free", "premium"):  # learners of the course: its discussions admit them
        Enrollment.objects.create(user=users[persona], course=course)
    Comment.objects.create(lesson=course.lessons.get(day=1), author=owner, body_markdown="Hi", body_html="<p>Hi</p>")
    stranger = make_user("sam.stranger@example.com")
    return World(users, course, draft, job, document, owner, stranger, co_instructor)


def _sandbox_session(world: World) -> str:
    payment = world.owner.payments.get()
    Payment.objects.filter(pk=payment.pk).update(provider_session_id=f"sandbox_cs_{payment.pk.hex}")
    return f"sandbox_cs_{payment.pk.hex}"


def _subscription(world: World) -> Subscription:
    subscription, _ = Subscription.objects.get_or_create(
        provider_subscription_id=f"sandbox_sub_{world.owner.pk}",
        defaults={"user": world.owner, "plan": "premium_monthly", "provider": "sandbox",
                  "current_period_end": timezone.now() + timedelta(days=30)},
    )  # fmt: skip
    return subscription


# Path parameter -> its value, by name; a regex on the path picks among same-named ones.
PARAMETERS: list[tuple[str, str, Callable[[World], object]]] = [
    (r"", "course", lambda w: w.course.slug),
    (r"", "slug", lambda w: w.course.slug),
    (r"", "lesson", lambda w: w.course.lessons.get(day=1).pk),  # the free preview: public to everyone
    (r"", "day", lambda w: 1),
    (r"/admin/users/", "id", lambda w: w.owner.pk),
    (r"/admin/users/", "user", lambda w: w.owner.pk),
    (r"/generation-jobs/", "id", lambda w: w.job.pk),
    (r"/generation-jobs/", "job", lambda w: w.job.pk),
    (r"/reference-documents/", "id", lambda w: w.document.pk),
    (r"/reference-documents/", "document", lambda w: w.document.pk),
    (r"/payments/", "id", lambda w: w.owner.payments.get().pk),
    (r"/certificates/", "id", lambda w: w.owner.enrollments.get().certificate.id),
    (r"/badge-credentials/", "id", lambda w: w.owner.badge_awards.get().credential.id),
    (r"/credentials/status-lists/", "number", lambda w: 0),
    (r"", "badge", lambda w: "first-lesson"),
    (r"", "code", lambda w: "first-lesson"),
    (r"", "category", lambda w: w.course.category.slug),
    # allauth's emailed links: a well-formed but invalid key
    (r"", "key", lambda w: "invalid-key"),
    (r"", "uidb36", lambda w: "1"),
    (r"/admin/backups/", "run_id", lambda w: BackupRun.objects.create(kind="backup").pk),
    (r"/lessons/", "lesson_id", lambda w: w.course.lessons.get(day=1).pk),  # the free preview's video
    (r"", "language", lambda w: "en"),  # a lesson's captions
    (r"/reminders/unsubscribe/", "token", lambda w: unsubscribe_token(w.owner)),
    (r"/push/open/", "token", lambda w: "0b9b8f3e-61a1-4a39-a9a6-51f8a7a6c0de"),
    (r"/payments/|/checkout/", "payment_id", lambda w: w.owner.payments.get().pk),
    (r"/checkout/sandbox/", "session_id", _sandbox_session),
    (r"/plans/", "subscription_id", lambda w: _subscription(w).pk),
    (r"/admin/users/", "user_id", lambda w: w.owner.pk),
    (r"/studio/users/", "pk", lambda w: w.owner.pk),
    (r"/studio/courses/", "pk", lambda w: w.course.pk),
    (r"/studio/enrollments/", "pk", lambda w: w.owner.enrollments.get().pk),
    (r"/enrollments/", "id", lambda w: w.owner.enrollments.get().pk),
    (r"/studio/generate/", "job", lambda w: w.job.pk),
    (r"/studio/analytics/", "table", lambda w: "daily"),
    (r"/instructors/", "instructor", lambda w: w.co_instructor.pk),
    (r"/comments/", "comment_id", lambda w: Comment.objects.get(author=w.owner).pk),
    (r"/studio/moderation/", "action", lambda w: "hide"),
    (r"/lti/", "platform", lambda w: _lti_platform().pk),
    (r"/lti/deep-link/", "launch_id", lambda w: "lti1p3-launch-not-in-this-session"),
]


def _lti_platform() -> Any:
    from momentum.lti.models import LtiPlatform

    platform, _ = LtiPlatform.objects.get_or_create(
        issuer="https://lms.example.edu", client_id="matrix",
        defaults={"name": "Matrix LMS", "auth_login_url": "https://lms.example.edu/auth",
                  "auth_token_url": "https://lms.example.edu/token", "keyset_url": "https://lms.example.edu/jwks"},
    )  # fmt: skip
    return platform


def value_for(world: World, path: str, name: str) -> str:
    for pattern, parameter, value in PARAMETERS:
        if parameter == name and re.search(pattern, path):
            return str(value(world))
    pytest.fail(f"No value for the path parameter {{{name}}} of {path}: add one to PARAMETERS in {__file__}")


# --- API operations -------------------------------------------------------------------------------


def api_operations() -> Iterator[tuple[str, str, Access]]:
    for router in api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                access = declared_access(operation.auth_callbacks)
                assert access is not None, f"{path} declares no access (tests/test_access_declared.py)"
                for method in operation.methods:
                    yield method, re.sub(r"\{(?:\w+:)?(\w+)\}", r"{\1}", f"/api{router.prefix}{path}"), access


OPERATIONS = sorted(set(api_operations()))


def fill(world: World, path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: value_for(world, path, match.group(1)), path)


def call_api(client: Client, method: str, url: str) -> Any:
    if method in ("GET", "HEAD", "OPTIONS"):
        return client.generic(method, url)
    return client.generic(method, url, data="{}", content_type="application/json")


def api_client(world: World, persona: str) -> Client:
    return ApiClient(None if persona == "anonymous" else world.users[persona])


@pytest.mark.parametrize(("method", "path", "access"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_every_api_operation_answers_each_persona_as_declared(
    world: World, method: str, path: str, access: Access
) -> None:
    url = fill(world, path)
    answers = {}
    for persona in PERSONAS:
        response = call_api(api_client(world, persona), method, url)
        answers[persona] = response.status_code
        assert response.status_code < 500, f"{method} {url} as {persona}: {response.status_code}"
        expected = admitted(access, persona)
        if expected is None:
            continue
        if expected:
            if access is Access.OWNER and _object_refusal(response):
                continue
            assert response.status_code not in (401, 403), f"{method} {url} ({access}) refused {persona}: {answers}"
        elif persona == "anonymous":
            assert response.status_code == 401, f"{method} {url} ({access}) let anonymous in: {answers}"
        else:
            assert response.status_code == 403, f"{method} {url} ({access}) let {persona} in: {answers}"


# An OWNER operation lets every signed-in caller in, then judges the object: these 403s are that
# judgement (someone else's comment; moderating without being on the course's staff), not the access.
OBJECT_REFUSALS = {"not_comment_author", "not_course_staff"}


def _object_refusal(response: Any) -> bool:
    if response.status_code != 403 or not response["Content-Type"].startswith("application/problem+json"):
        return False
    return response.json().get("code") in OBJECT_REFUSALS


def test_the_matrix_sees_every_api_operation() -> None:
    schema = api.get_openapi_schema(path_prefix="/api")
    documented = {(verb.upper(), path) for path, item in schema["paths"].items() for verb in item}
    assert documented == {(method, path) for method, path, _ in OPERATIONS}


# --- Pages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    route: str
    name: str | None  # namespaced URL name
    parameters: tuple[str, ...]
    access: Access

    def url(self, world: World) -> str:
        if not self.name:
            return "/" + self.route
        kwargs = {name: value_for(world, "/" + self.route, name) for name in self.parameters}
        return reverse(self.name, kwargs=kwargs)


def pages(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> Iterator[Page]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from pages(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            continue
        assert isinstance(pattern, URLPattern)
        route = prefix + str(pattern.pattern)
        if route.startswith((*NOT_PAGES, "^media/", "api/")) and pattern.name not in ("openapi-view",):
            continue
        access = declared_page_access(route, pattern)
        assert access is not None, f"/{route} declares no access (tests/test_access_declared.py)"
        regex = getattr(pattern.pattern, "regex", None)
        parameters = tuple(getattr(pattern.pattern, "converters", {}) or (regex.groupindex if regex else {}))
        yield Page(route, f"{namespace}{pattern.name}" if pattern.name else None, parameters, access)


PAGES = sorted(set(pages()), key=lambda page: page.route)


def page_client(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def sent_to_sign_in(response: Any) -> bool:
    return bool(response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="))


@pytest.mark.parametrize("page", PAGES, ids=[page.route or "/" for page in PAGES])
def test_every_page_answers_each_persona_as_declared(world: World, page: Page) -> None:
    url = page.url(world)
    for persona in PERSONAS:
        response = page_client(world, persona).get(url)
        if page.route == "readyz" and response.status_code == 503:
            continue  # a dependency not ready in this test process is the probe's answer, not an error
        assert response.status_code < 500, f"{url} as {persona}: {response.status_code}"
        expected = admitted(page.access, persona)
        if expected is None:
            continue
        if expected:
            assert not sent_to_sign_in(response), f"{url} ({page.access}) sent {persona} to sign in"
            assert response.status_code != 403, f"{url} ({page.access}) refused {persona}"
        elif persona == "anonymous":
            assert sent_to_sign_in(response), f"{url} ({page.access}) let anonymous in: {response.status_code}"
        else:
            assert response.status_code == 403, f"{url} ({page.access}) let {persona} in: {response.status_code}"


def test_the_matrix_sees_the_signed_in_pages() -> None:
    routes = {page.route for page in PAGES if page.access in SIGNED_IN}
    assert {"profile/", "profile/security/", "profile/privacy/", "studio/audit/", "accounts/2fa/"} <= routes


# --- Object-level access: nobody reaches another person's objects by their ID --------------------


OWNED = [(method, path) for method, path, access in OPERATIONS if access is Access.OWNER and "{" in path]


@pytest.mark.parametrize(("method", "path"), OWNED, ids=[f"{m} {p}" for m, p in OWNED])
def test_owner_operations_never_touch_or_reveal_someone_elses_data(world: World, method: str, path: str) -> None:
    """Given the owner's objects behind these path parameters, a stranger calling the operation acts
    only on their own (an enrolment, progress) or is refused: the owner's data neither changes nor
    shows in the answer."""
    before = _comparable(gdpr.export(world.owner))

    response = call_api(ApiClient(world.stranger), method, fill(world, path))

    assert _comparable(gdpr.export(world.owner)) == before, f"{method} {path} changed the owner's data"
    assert world.owner.email not in response.content.decode()


def _comparable(export: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in export.items() if key != "exported_at"}


# A course's staff name its co-instructors by ID to remove them: the ID only ever selects a row of
# the course's own staff (catalog.actions.do_remove_co_instructor), never reads or changes the person.
COURSE_STAFF_PEOPLE = {("DELETE", "/api/v1/courses/{course}/instructors/{instructor}")}


def test_people_are_addressed_by_id_only_in_admin_operations() -> None:
    """Personal resources live under /me; an operation naming a person by ID must be an admin one
    (or one of a course's staff acting on that course's own staff list)."""
    personal = re.compile(r"/(users|accounts|people|learners|instructors)/\{|\{(user|user_id|account|instructor)\}")
    open_to_others = [
        f"{m} {p} ({a})"
        for m, p, a in OPERATIONS
        if personal.search(p)
        and a is not Access.ADMIN
        and not (a is Access.COURSE_STAFF and (m, p) in COURSE_STAFF_PEOPLE)
    ]

    assert not open_to_others


def test_a_stranger_cannot_look_up_another_persons_events_or_data(world: World) -> None:
    """Guessing an ID gets nothing: the audit trail is admin-only and /me is always the caller."""
    stranger = ApiClient(world.stranger)
    guesses = [
        stranger.get(f"/admin/audit-logs?actor={world.owner.pk}"),
        stranger.get(f"/admin/audit-logs?subject={world.owner.pk}"),
    ]
    assert [response.status_code for response in guesses] == [403, 403]
    assert stranger.get("/me").json()["id"] == world.stranger.pk
    assert world.owner.email not in stranger.get("/me/export").content.decode()


def test_every_persona_is_who_the_matrix_says(world: World) -> None:
    users = world.users
    assert (users["unverified"].email_verified, users["unverified"].role) == (False, Role.FREE)
    assert (users["free"].email_verified, users["free"].role) == (True, Role.FREE)
    assert users["premium"].role == Role.PREMIUM
    assert users["admin"].role == Role.ADMIN
    assert users["instructor"].role == Role.INSTRUCTOR
    assert world.course.owner == users["instructor"]
