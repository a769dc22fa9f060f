"""The catalogue and the course page in Spanish and Arabic (issue 18), and a catalog problem's detail
in the caller's language while its code stays English."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from momentum.catalog.models import Course
from momentum.catalog.tests.authoring import draft_course
from tests.factories import make_course
from tests.i18n.speaking import get_in, post_in, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db: None) -> Course:
    return make_course("Sleep better", duration_days=7)


@pytest.mark.parametrize(
    ("language", "said", "english"),
    [
        ("es", ["Cursos", "Buscar", "Todas las categorías", "Mostrar cursos", "1 curso"], "Show courses"),
        ("ar", ["الدورات", "بحث", "كل الفئات", "عرض الدورات"], "All categories"),
    ],
)
def test_the_catalogue_speaks_the_learners_language(
    client: Any, course: Course, language: str, said: list[str], english: str
) -> None:
    page = text_of(get_in(client, language, reverse("catalog:list")))
    assert all(words in page for words in said), said
    assert english not in page


@pytest.mark.parametrize(
    ("language", "said", "english"),
    [
        (
            "es",
            ["Lo que harás cada día", "Día 1: Sleep better: day 1", "7 días", "Vista previa gratuita"],
            "What you will do",
        ),
        ("ar", ["ما ستفعله كل يوم", "اليوم 1: Sleep better: day 1", "معاينة مجانية"], "Free preview"),
    ],
)
def test_the_course_page_speaks_the_learners_language(
    *, client: Any, learner: Any, course: Course, language: str, said: list[str], english: str
) -> None:
    client.force_login(learner)
    page = text_of(get_in(client, language, reverse("catalog:detail", args=[course.slug])))
    assert all(words in page for words in said), said
    assert english not in page
    assert "Enrol for free" not in page


def test_level_names_are_translated_where_the_course_shows_them(client: Any, course: Course) -> None:
    page = text_of(get_in(client, "es", reverse("catalog:detail", args=[course.slug])))
    assert "Principiante" in page
    assert "Beginner" not in page


def test_a_catalog_problem_has_a_spanish_detail_and_the_same_code(admin: Any, api_as: Any) -> None:
    course = draft_course(written=[1])
    lesson = {"day": 1, "title": "Hold the pencil loosely", "content_markdown": "Draw."}
    english = api_as(admin).post(f"/courses/{course.slug}/lessons", lesson).json()
    spanish = post_in(api_as(admin), "es", f"/courses/{course.slug}/lessons", lesson).json()
    assert english["code"] == spanish["code"] == "day_taken"
    assert english["detail"] == "Day 1 of this course already has a lesson; move or delete it first."
    assert spanish["detail"] == "El día 1 de este curso ya tiene una lección; muévela o elimínala primero."
