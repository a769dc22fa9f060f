"""The quiz operations: a learner takes a lesson's quiz; an admin authors it and reads its report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from momentum.accounts.policy import Access, api_access, caller
from momentum.assessments import actions, queries, stats
from momentum.assessments.schemas import AttemptIn, AttemptOut, AuthorQuizOut, LearnerQuizOut, QuestionStatOut, QuizIn
from momentum.catalog.queries import lesson_of, staffed_course_or_404, visible_lesson_or_404
from momentum.learning.queries import ensure_lesson_open
from momentum.lib.pagination import Page, PageParams
from momentum.lib.problems import NotFound, Problem
from momentum.platform.api_problems import problems

if TYPE_CHECKING:  # annotations only
    from momentum.catalog.models import Lesson

router = Router(tags=["quizzes"])
STAFF = api_access(Access.COURSE_STAFF)
NO_QUIZ = "`no_quiz`: the lesson has no quiz"


def _quiz_or_404(lesson: Lesson) -> Any:
    quiz = queries.quiz_of(lesson)
    if quiz is None:
        raise Problem(404, "no_quiz", _("This lesson has no quiz."))
    return quiz


@router.get(
    "/courses/{course}/lessons/{lesson}/quiz", response=LearnerQuizOut, auth=api_access(Access.PUBLIC),
    openapi_extra=problems({401: "`not_authenticated`", 402: "`payment_required`", 403: "`not_enrolled`",
                            404: NO_QUIZ}),
)  # fmt: skip
def get_quiz(request: HttpRequest, course: str, lesson: int) -> queries.LearnerQuiz:
    """The lesson's quiz as the caller takes it: never which answer is right, options in the
    caller's own shuffled order."""
    found = visible_lesson_or_404(request.user, course, lesson_id=lesson)
    ensure_lesson_open(request.user, found)
    return queries.learner_quiz(request.user, _quiz_or_404(found))


@router.post(
    "/courses/{course}/lessons/{lesson}/quiz/attempts", response={201: AttemptOut}, auth=api_access(Access.OWNER),
    openapi_extra=problems({402: "`payment_required`", 403: "`not_enrolled`", 404: NO_QUIZ,
                            409: "`no_attempts_left`", 422: "`invalid_answers`: an unknown question or option, "
                            "or a question left unanswered"}),
)  # fmt: skip
def submit_attempt(request: HttpRequest, course: str, lesson: int, body: AttemptIn) -> Status[dict[str, Any]]:
    """Grade the caller's answers; a passing attempt completes the lesson."""
    found = visible_lesson_or_404(request.user, course, lesson_id=lesson)  # open to the caller: the action's check
    answers = [actions.Answer(a.question_id, tuple(a.option_ids), a.text) for a in body.answers]
    result = actions.do_submit_attempt(request.user, found, answers, started_at=body.started_at, request=request)
    return Status(
        201,
        {
            "id": result.attempt.pk,
            "number": result.attempt.number,
            "score_percent": result.attempt.score_percent,
            "passed": result.attempt.passed,
            "attempts_used": result.attempts_used,
            "attempts_left": result.attempts_left,
            "lesson_completed": result.attempt.passed,
            "results": result.results,
        },
    )


def _admin_lesson(request: HttpRequest, course: str, lesson: int) -> Lesson:
    found = lesson_of(staffed_course_or_404(request.user, course), lesson)
    if found is None:
        raise NotFound(_("This course has no such lesson."))
    return found


@router.put(
    "/courses/{course}/lessons/{lesson}/quiz", response=AuthorQuizOut, auth=STAFF,
    openapi_extra=problems({422: "`validation_error`: each error names the question that breaks a rule"}),
)  # fmt: skip
def put_quiz(request: HttpRequest, course: str, lesson: int, body: QuizIn) -> Any:
    """Replace the lesson's quiz (answers included in the response: this is the author's view)."""
    found = _admin_lesson(request, course, lesson)
    try:
        return actions.do_put_quiz(caller(request), found, body.spec(), request=request)
    except actions.InvalidQuiz as invalid:
        raise Problem(
            422, "validation_error", " ".join(invalid.problems),
            errors=[{"field": "questions", "message": message, "rule": "invalid_quiz"} for message in invalid.problems],
        ) from None  # fmt: skip


@router.get("/courses/{course}/lessons/{lesson}/quiz/key", response=AuthorQuizOut, auth=STAFF,
            openapi_extra=problems({404: NO_QUIZ}))  # fmt: skip
def get_quiz_key(request: HttpRequest, course: str, lesson: int) -> Any:
    """The lesson's quiz with its answers, as its author edits it."""
    return _quiz_or_404(_admin_lesson(request, course, lesson))


@router.delete("/courses/{course}/lessons/{lesson}/quiz", response={204: None}, auth=STAFF,
               openapi_extra=problems({404: NO_QUIZ}))  # fmt: skip
def delete_quiz(request: HttpRequest, course: str, lesson: int) -> Status[None]:
    """Remove the lesson's quiz and its attempts."""
    if not actions.do_delete_quiz(caller(request), _admin_lesson(request, course, lesson), request=request):
        raise Problem(404, "no_quiz", _("This lesson has no quiz."))
    return Status(204, None)


@router.get("/courses/{course}/quiz-stats", response=Page[QuestionStatOut], auth=STAFF)
def quiz_stats(request: HttpRequest, course: str, paging: Query[PageParams]) -> dict[str, Any]:
    """Every quiz question of the course in day order: attempts, % correct, discrimination,
    needs_attention (percent_correct < 50 or discrimination < 0)."""
    rows = stats.question_stats(staffed_course_or_404(request.user, course))
    start = (paging.page - 1) * paging.page_size
    return {"items": rows[start : start + paging.page_size], "count": len(rows), "page": paging.page,
            "page_size": paging.page_size}  # fmt: skip
