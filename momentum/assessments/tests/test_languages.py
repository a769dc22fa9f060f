"""A quiz in Spanish and Arabic (issue 18), and a quiz problem in the caller's language with its English code."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from momentum.assessments.models import Quiz
from momentum.assessments.tests.conftest import right_answers
from momentum.catalog.models import Course, Lesson
from tests.i18n.speaking import get_in, post_in, text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "said", "english"),
    [
        (
            "es",
            [
                "Comprueba lo que has aprendido",
                "4 preguntas",
                "nota para aprobar 70 %",
                "Comprobar mis respuestas",
                "Pregunta 1:",
            ],
            "Check my answers",
        ),
        ("ar", ["تحقّق مما تعلّمته", "4 أسئلة", "درجة النجاح 70 %", "تحقّق من إجاباتي", "السؤال 1:"], "pass mark"),
    ],
)
def test_the_quiz_speaks_the_learners_language(
    *,
    client: Any,
    enrolled: Any,
    course: Course,
    lesson: Lesson,
    quiz: Quiz,
    language: str,
    said: list[str],
    english: str,
) -> None:
    client.force_login(enrolled)
    page = text_of(get_in(client, language, reverse("assessments:take", args=[course.slug, lesson.day])))
    assert all(words in page for words in said), said
    assert english not in page


def test_a_missing_answer_is_a_spanish_problem_with_its_english_code(
    api_as: Any, enrolled: Any, course: Course, lesson: Lesson, quiz: Quiz
) -> None:
    path = f"/courses/{course.slug}/lessons/{lesson.pk}/quiz/attempts"
    response = post_in(api_as(enrolled), "es", path, {"answers": right_answers(quiz)[:3]})
    body = response.json()
    assert (response.status_code, body["code"]) == (422, "invalid_answers")
    assert body["detail"] == "La pregunta 4 no tiene respuesta."
    assert [error["message"] for error in body["errors"]] == ["la pregunta 4 no tiene respuesta"]
