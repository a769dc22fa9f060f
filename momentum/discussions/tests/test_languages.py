"""The lesson's discussion in Spanish and Arabic (issue 18), and a discussion problem in the caller's
language with its English code."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from momentum.discussions.tests.conftest import Class, post
from tests.factories import make_user
from tests.i18n.speaking import get_in, post_in, text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "said", "english"),
    [
        ("es", ["Debate", "(1 comentario)", "Añade un comentario", "Publicar comentario", "Responder"], "Post comment"),
        ("ar", ["النقاش", "(1 تعليق)", "أضف تعليقًا", "نشر التعليق", "ردّ"], "Add a comment"),
    ],
)
def test_the_thread_speaks_the_learners_language(
    *, api_as: Any, klass: Class, language: str, said: list[str], english: str
) -> None:
    assert post(api_as, klass.mia, klass, "Day two was hard.").status_code == 201
    browser = Client()
    browser.force_login(klass.lee)
    page = text_of(get_in(browser, language, f"/courses/{klass.course.slug}/day/2/"))
    assert all(words in page for words in said), said
    assert english not in page


def test_a_stranger_commenting_gets_a_spanish_problem_with_its_english_code(api_as: Any, klass: Class) -> None:
    stranger = make_user("olly@example.com")
    response = post_in(api_as(stranger), "es", klass.path, {"body_markdown": "Hola"})
    body = response.json()
    assert (response.status_code, body["code"]) == (403, "not_enrolled")
    assert body["detail"] == "Solo los estudiantes del curso participan en sus debates: inscríbete primero."
