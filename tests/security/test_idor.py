"""Insecure direct object references: another person's objects are not reachable by their IDs.

Every path parameter of every page and API operation is classified below (OBJECT_PARAMETERS);
a route that names a parameter nobody has classified fails the first test, so a new object
route cannot appear without its IDOR case. Then, as a stranger (signed in, verified), every
non-admin route naming the owner's object is called with GET and POST: refused (403/404, or the
sign-in/course page), the owner's data unchanged and absent from the answer. Admin-only routes
are held to the access matrix (tests/test_access_matrix.py): non-admins get 403 there.

Course-staff routes (Access.COURSE_STAFF: a course's authoring, learners, reports, generation)
name objects of a course that its owner, co-instructors and admins run: every one of them is
called by another instructor (signed in, INSTRUCTOR, running courses of their own) with its own
verb and a valid body: refused (403 ``not_course_owner``, or 404 for a job that is not theirs),
the course and everything of it unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from conftest import ApiClient
from momentum.accounts import gdpr
from momentum.accounts.policy import Access
from momentum.catalog.models import CaptionTrack, Lesson
from momentum.learning.models import LessonProgress
from tests.factories import PASSWORD
from tests.test_access_matrix import OPERATIONS, PAGES, World, fill

pytestmark = pytest.mark.django_db

# Path parameter -> what it names:
#   catalogue    a published course, lesson, badge or category: the same for everyone; what a
#                caller may read of it (non-preview lessons) is tested below
#   owned        one person's object: strangers must get nothing
#   capability   a secret token that is itself the credential (an emailed key, a signed link)
#   shared       a public id made to be handed out: a certificate's or a badge credential's (its
#                verify page, PDF and Open Badges forms answer anyone holding the link; erasing the
#                learner turns it off)
#   public       the same document for everyone (a revocation status list, by its number)
#   admin        only on admin routes (the access matrix holds non-admins off them)
#   staffed      on COURSE_STAFF routes, every object parameter names a course's thing (the course,
#                its lessons and days, enrolments, jobs, co-instructors): see STAFFED below
#   thread       a comment: only the participants of its lesson's thread (the course's learners
#                in that cohort, its staff) reach it; strangers must get nothing
OBJECT_PARAMETERS = {
    "course": "catalogue", "slug": "catalogue", "lesson": "catalogue", "day": "catalogue",
    "badge": "catalogue", "code": "catalogue", "category": "catalogue", "lesson_id": "catalogue",
    "language": "catalogue",
    "payment_id": "owned", "session_id": "owned", "subscription_id": "owned",
    "key": "capability", "uidb36": "capability", "token": "capability", "number": "public",
    "id": "admin", "user": "admin", "user_id": "admin", "pk": "admin", "run_id": "admin", "table": "admin",
    "job": "admin", "document": "admin", "action": "admin", "instructor": "staffed", "comment_id": "thread",
    "platform": "admin", "launch_id": "capability",
}  # fmt: skip
# Parameters whose name means something else on some paths: (path pattern, name) -> kind.
PATH_PARAMETERS = {
    (r"^(/api/v1)?/certificates/", "id"): "shared",
    (r"^/api/v1/badge-credentials/", "id"): "shared",
}


def kind_of(access: Access, path: str, name: str) -> str | None:
    """What ``name`` names on ``path``: on a course-staff route, a course's thing."""
    if access is Access.COURSE_STAFF and name in OBJECT_PARAMETERS:
        return "staffed"
    for (pattern, parameter), kind in PATH_PARAMETERS.items():
        if parameter == name and re.search(pattern, path):
            return kind
    return OBJECT_PARAMETERS.get(name)


def routes() -> list[tuple[str, str, Access, tuple[str, ...]]]:
    """(kind, path, access, parameters) for every API operation and page with path parameters."""
    found = []
    for method, path, access in OPERATIONS:
        names = tuple(re.findall(r"\{(\w+)\}", path))
        if names:
            found.append((f"api {method}", path, access, names))
    for page in PAGES:
        if page.parameters:
            found.append(("page", "/" + page.route, page.access, page.parameters))
    return found


ROUTES = routes()


def test_every_path_parameter_is_classified() -> None:
    unknown = sorted({f"{{{name}}} in {path}" for _, path, _, names in ROUTES for name in names
                      if name not in OBJECT_PARAMETERS})  # fmt: skip
    assert not unknown, "Classify these in OBJECT_PARAMETERS and give them an IDOR case:\n" + "\n".join(unknown)


def test_admin_parameters_appear_only_on_admin_routes() -> None:
    open_routes = [
        f"{kind} {path}"
        for kind, path, access, names in ROUTES
        if access is not Access.ADMIN and any(kind_of(access, path, n) == "admin" for n in names)
    ]
    assert not open_routes


def test_a_staffed_parameter_appears_only_on_course_staff_routes() -> None:
    elsewhere = [
        f"{kind} {path}"
        for kind, path, access, names in ROUTES
        if access is not Access.COURSE_STAFF and any(kind_of(access, path, n) == "staffed" for n in names)
    ]
    assert not elsewhere


OWNED_ROUTES = [
    (kind, path) for kind, path, access, names in ROUTES
    if access is not Access.ADMIN and any(kind_of(access, path, name) == "owned" for name in names)
]  # fmt: skip
THREAD_ROUTES = [
    (kind, path) for kind, path, access, names in ROUTES
    if access is not Access.ADMIN and any(OBJECT_PARAMETERS.get(name) == "thread" for name in names)
]  # fmt: skip


def _snapshot(world: World) -> dict[str, Any]:
    return {key: value for key, value in gdpr.export(world.owner).items() if key != "exported_at"}


def _url(world: World, kind: str, path: str) -> str:
    if kind == "page":
        page = next(page for page in PAGES if "/" + page.route == path)
        return page.url(world)
    return fill(world, path)


@pytest.mark.parametrize(
    ("kind", "path"), OWNED_ROUTES + THREAD_ROUTES, ids=[f"{k} {p}" for k, p in OWNED_ROUTES + THREAD_ROUTES]
)
def test_a_stranger_gets_nothing_of_someone_elses_object(world: World, kind: str, path: str) -> None:
    url = _url(world, kind, path)
    before = _snapshot(world)
    if kind == "page":
        stranger: Client = Client()
        stranger.force_login(world.stranger)
    else:
        stranger = ApiClient(world.stranger)
    for method in ("GET", "POST"):
        response = stranger.generic(method, url, "action=pay", "application/x-www-form-urlencoded")
        assert response.status_code in (403, 404, 405), f"{method} {url}: {response.status_code}"
        assert world.owner.email not in response.content.decode()
    assert _snapshot(world) == before


def test_the_owner_reaches_their_own_objects(world: World) -> None:
    """The refusals above are about the owner, not the routes: the owner is let in."""
    owner = Client()
    owner.force_login(world.owner)
    for kind, path in OWNED_ROUTES:
        if kind == "page":
            response = owner.get(_url(world, kind, path))
            assert response.status_code in (200, 302, 404), f"{path}: {response.status_code}"
            # 404 only where the owner's object is not in a state the page shows (a paid sandbox session)


SECRET = "The secret of day two, for enrolled learners only."


@pytest.fixture
def locked_lesson(world: World) -> Lesson:
    lesson = world.course.lessons.get(day=2)
    lesson.content_markdown = SECRET
    lesson.save()
    CaptionTrack.objects.create(
        lesson=lesson, language="en", vtt=f"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n{SECRET}\n"
    )
    return lesson


def test_a_stranger_cannot_read_a_lesson_of_a_course_they_did_not_join(world: World, locked_lesson: Lesson) -> None:
    stranger = Client()
    stranger.force_login(world.stranger)
    slug = world.course.slug
    answers = [
        ApiClient(world.stranger).get(f"/courses/{slug}/lessons/{locked_lesson.pk}"),
        ApiClient().get(f"/courses/{slug}/lessons/{locked_lesson.pk}"),
        stranger.get(f"/courses/{slug}/day/2/"),
        Client().get(f"/courses/{slug}/day/2/"),
        stranger.get(f"/lessons/{locked_lesson.pk}/video"),
        stranger.get(f"/lessons/{locked_lesson.pk}/captions/en.vtt"),
    ]
    for response in answers:  # the lesson page may answer 200 with an invitation to enrol, never the lesson
        assert response.status_code in (200, 302, 401, 403, 404), response.status_code
        assert SECRET not in response.content.decode()


def test_the_enrolled_owner_reads_it(world: World, locked_lesson: Lesson) -> None:
    response = ApiClient(world.owner).get(f"/courses/{world.course.slug}/lessons/{locked_lesson.pk}")

    assert response.status_code == 200
    assert SECRET in response.json()["content_markdown"]


def test_a_stranger_cannot_record_progress_in_a_course_they_did_not_join(world: World, locked_lesson: Lesson) -> None:
    before = _snapshot(world)
    stranger = Client()
    stranger.force_login(world.stranger)

    api_answer = ApiClient(world.stranger).put(
        f"/courses/{world.course.slug}/lessons/{locked_lesson.pk}/progress", {"completed": True}
    )
    page_answer = stranger.post(f"/courses/{world.course.slug}/day/2/complete/")

    assert api_answer.status_code in (403, 404)
    assert page_answer.status_code in (302, 403, 404)
    assert not LessonProgress.objects.filter(user=world.stranger).exists()
    assert _snapshot(world) == before


def test_a_lesson_id_from_another_course_does_not_open_it(world: World, locked_lesson: Lesson) -> None:
    """Mixing a course the caller may read with a lesson of another: the pair must match."""
    from tests.factories import make_course

    other = make_course("Open course", slug="open-course")
    response = ApiClient(world.stranger).get(f"/courses/{other.slug}/lessons/{locked_lesson.pk}")

    assert response.status_code == 404
    assert SECRET not in response.content.decode()


def test_a_stranger_cannot_see_or_take_the_quiz_of_a_course_they_did_not_join(
    world: World, locked_lesson: Lesson
) -> None:
    from momentum.assessments.actions import do_put_quiz
    from momentum.assessments.models import Attempt
    from momentum.assessments.specs import OptionSpec, QuestionKind, QuestionSpec, QuizSpec

    key = QuestionSpec(QuestionKind.SINGLE, SECRET, "", (OptionSpec("yes", True), OptionSpec("no", False)))
    quiz = do_put_quiz(None, locked_lesson, QuizSpec(questions=(key,)))
    question = quiz.questions.get()
    stranger = Client()
    stranger.force_login(world.stranger)
    url = f"/courses/{world.course.slug}/lessons/{locked_lesson.pk}/quiz"
    answer = {"answers": [{"question_id": question.pk, "option_ids": [question.options.get(is_correct=True).pk]}]}

    answers = [
        ApiClient(world.stranger).get(url),
        ApiClient().get(url),
        ApiClient(world.stranger).post(f"{url}/attempts", answer),
        stranger.get(f"/courses/{world.course.slug}/day/2/quiz/"),
        stranger.post(f"/courses/{world.course.slug}/day/2/quiz/", {f"q{question.pk}": "1"}),
    ]

    for response in answers:
        assert response.status_code in (302, 401, 403, 404), response.status_code
        assert SECRET not in response.content.decode()
    assert not Attempt.objects.exists()
    assert not LessonProgress.objects.filter(user=world.stranger).exists()


def _refresh_token(client: ApiClient, email: str) -> str:
    response = client.post("/auth/token", {"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return str(response.json()["refresh_token"])


def test_signing_out_with_someone_elses_refresh_token_leaves_their_session_alone(world: World) -> None:
    owners_token = _refresh_token(ApiClient(), world.owner.email)

    response = ApiClient(world.stranger).post("/auth/logout", {"refresh_token": owners_token})

    assert response.status_code == 204  # the same answer either way: no token oracle
    assert ApiClient().post("/auth/refresh", {"refresh_token": owners_token}).status_code == 200


def test_ending_app_sessions_ends_only_ones_own(world: World) -> None:
    owners_token = _refresh_token(ApiClient(), world.owner.email)
    stranger = Client()
    stranger.force_login(world.stranger)

    stranger.post("/profile/security/end-app-sessions/")

    assert ApiClient().post("/auth/refresh", {"refresh_token": owners_token}).status_code == 200


def test_personal_data_export_and_erasure_act_only_on_the_caller(world: World) -> None:
    stranger = ApiClient(world.stranger)
    before = _snapshot(world)

    export = stranger.get("/me/export")
    erased = stranger.delete("/me", {"password": PASSWORD, "user_id": world.owner.pk, "id": world.owner.pk})

    assert world.owner.email not in export.content.decode()
    assert erased.status_code in (204, 422)
    world.owner.refresh_from_db()
    assert world.owner.is_active
    assert _snapshot(world) == before


def test_the_unsubscribe_link_needs_a_genuine_token(world: World) -> None:
    from momentum.learning.reminders import unsubscribe_token

    genuine = unsubscribe_token(world.owner)
    forged = genuine[:-4] + ("AAAA" if not genuine.endswith("AAAA") else "BBBB")
    world.owner.reminder_emails = True
    world.owner.save(update_fields=["reminder_emails"])

    response = Client().post(f"/reminders/unsubscribe/{forged}/")

    assert response.status_code == 404
    world.owner.refresh_from_db()
    assert world.owner.reminder_emails is True


# --- Another instructor's course ------------------------------------------------------------------

STAFFED = sorted(
    {(kind, path) for kind, path, access, names in ROUTES if access is Access.COURSE_STAFF}
    | {(f"api {method}", path) for method, path, access in OPERATIONS if access is Access.COURSE_STAFF and "{" in path}
)


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 18), "#3355ff").save(buffer, format="PNG")
    return buffer.getvalue()


# A valid body for each course-staff write, so the refusal is the course check's, not the input's.
BODIES: list[tuple[str, str, dict[str, Any]]] = [
    ("PATCH", r"/courses/\{course\}$", {"title": "Taken over", "description": "Mine now"}),
    ("POST", r"/courses/\{course\}/lessons$", {"day": 2, "title": "Extra", "content_markdown": "Mine"}),
    ("PATCH", r"/lessons/\{lesson\}$", {"title": "Taken over", "content_markdown": "Mine now"}),
    ("PUT", r"/quiz$", {"questions": [{"kind": "true_false", "prompt": "Mine?", "explanation": "",
                                        "options": [{"text": "True", "correct": True},
                                                    {"text": "False", "correct": False}]}]}),
    ("POST", r"/cohorts$", {"name": "Hijack cohort", "starts_on": "2027-01-04"}),
    ("PATCH", r"/enrollments/\{id\}$", {"unlock_all": True}),
    ("POST", r"/instructors$", {"email": "ivan.intruder@example.com"}),
]  # fmt: skip
UPLOADS = {
    r"/thumbnail$": ("file.png", _png),
    r"/video$": ("clip.mp4", lambda: b"\x00\x00\x00\x18ftypmp42"),
    r"/captions$": ("mine.vtt", lambda: b"WEBVTT\n\n00:00.000 --> 00:01.000\nMine now\n"),  # ?lesson= below
}


def _staffed_call(client: Any, method: str, url: str, path: str) -> Any:
    for pattern, (filename, content) in UPLOADS.items():
        if method == "POST" and re.search(pattern, path):
            from django.core.files.uploadedfile import SimpleUploadedFile

            upload = SimpleUploadedFile(filename, content())
            return Client.post(client, client._url(url), {"file": upload, "language": "en"})
    for verb, pattern, body in BODIES:
        if verb == method and re.search(pattern, path):
            return client.generic(method, url, json.dumps(body), "application/json")
    return client.generic(method, url, "{}" if method not in ("GET", "HEAD") else "", "application/json")


def _course_state(world: World) -> dict[str, Any]:
    """Everything of the world's course another instructor could change or learn."""
    from momentum.assessments.models import Question
    from momentum.catalog.models import Course, CourseInstructor
    from momentum.generation.models import GenerationJob
    from momentum.learning.models import Cohort, Enrollment

    courses = Course.objects.filter(pk__in=[world.course.pk, world.draft.pk])
    return {
        "courses": list(courses.order_by("pk").values()),
        "lessons": list(Lesson.objects.filter(course__in=courses).order_by("pk").values()),
        "questions": list(Question.objects.filter(quiz__lesson__course__in=courses).order_by("pk").values()),
        "cohorts": list(Cohort.objects.filter(course__in=courses).order_by("pk").values()),
        "enrollments": list(Enrollment.objects.filter(course__in=courses).order_by("pk").values()),
        "staff": list(CourseInstructor.objects.filter(course__in=courses).order_by("pk").values()),
        "job": list(GenerationJob.objects.filter(pk=world.job.pk).values("status", "course_id", "providers")),
    }


@pytest.fixture
def intruder(world: World) -> Any:
    """Another instructor, running a course of their own: not one of the world's course's staff."""
    from momentum.accounts.models import Role
    from momentum.catalog.models import Course
    from tests.factories import make_course, make_user

    user = make_user("ivan.intruder@example.com", role=Role.INSTRUCTOR)
    own = make_course("Intruder's own course", slug="intruders-own")
    Course.objects.filter(pk=own.pk).update(owner=user)
    return user


@pytest.mark.parametrize(("kind", "path"), STAFFED, ids=[f"{k} {p}" for k, p in STAFFED])
def test_another_instructor_gets_nothing_of_a_course_they_do_not_run(
    world: World, intruder: Any, kind: str, path: str
) -> None:
    url = _url(world, kind, path)
    if path.endswith("/captions"):  # the lesson is a query parameter there
        url += f"?lesson={world.course.lessons.get(day=1).pk}"
    before = _course_state(world)
    if kind == "page":
        browser = Client()
        browser.force_login(intruder)
        answers = [browser.get(url), browser.post(url, {"email": intruder.email, "title": "Mine", "name": "Mine"})]
    else:
        answers = [_staffed_call(ApiClient(intruder), kind.split()[1], url, path)]

    for response in answers:
        assert response.status_code in (403, 404, 405), (
            f"{kind} {url}: {response.status_code} {response.content[:300]!r}"
        )
        if response.status_code == 403:
            body = response.content.decode()
            assert "not_course_owner" in body or "this course" in body, body[:300]
        assert world.owner.email not in response.content.decode()
        assert world.co_instructor.email not in response.content.decode()
    assert _course_state(world) == before


def test_the_course_owner_and_a_co_instructor_are_let_in(world: World) -> None:
    """The refusals above are about the intruder, not the routes: the course's staff get in."""
    for person in (world.users["instructor"], world.co_instructor):
        client = ApiClient(person)
        for what in ("enrollments", "quiz-stats", "analytics", "instructors"):
            url = f"/courses/{world.course.slug}/{what}"
            assert client.get(url).status_code == 200, (person.email, url)
