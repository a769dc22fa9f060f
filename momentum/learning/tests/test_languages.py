"""The dashboard, a lesson and the reminder email in Spanish and Arabic (issue 18), and a learning
problem's detail in the caller's language with its English code."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from momentum.catalog.models import Course, Pacing
from momentum.learning import reminders
from momentum.learning.actions import do_enroll
from tests.factories import make_course
from tests.i18n.speaking import get_in, text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "said", "english"),
    [
        ("es", ["Tu panel", "La lección de hoy", "Día 1 de 7", "Empezar el día 1", "Tus cursos"], "Your courses"),
        ("ar", ["لوحتك", "درس اليوم", "اليوم 1 من 7", "ابدأ اليوم 1", "دوراتك"], "Start day"),
    ],
)
def test_the_dashboard_speaks_the_learners_language(
    client: Any, enrolled: Any, language: str, said: list[str], english: str
) -> None:
    client.force_login(enrolled)
    page = text_of(get_in(client, language, reverse("learning:dashboard")))
    assert all(words in page for words in said), said
    assert english not in page


@pytest.mark.parametrize(
    ("language", "said", "english"),
    [
        ("es", ["Día 1 de 7", "12 min", "Marcar el día 1 como completado", "Día 2"], "Mark day"),
        ("ar", ["اليوم 1 من 7", "12 د", "علّم اليوم 1 كمكتمل", "اليوم 2"], "complete</button>"),
    ],
)
def test_a_lesson_speaks_the_learners_language(
    *, client: Any, enrolled: Any, course: Course, language: str, said: list[str], english: str
) -> None:
    client.force_login(enrolled)
    page = text_of(get_in(client, language, reverse("learning:lesson", args=[course.slug, 1])))
    assert all(words in page for words in said), said
    assert english not in page


def test_a_locked_lesson_is_a_spanish_problem_with_its_english_code(api_as: Any, learner: Any) -> None:
    daily = make_course("Daily Spanish", duration_days=7, pacing=Pacing.DAILY)
    do_enroll(learner, daily)
    lesson = daily.lessons.get(day=3)
    response = get_in(api_as(learner), "es", f"/courses/{daily.slug}/lessons/{lesson.pk}")
    body = response.json()
    assert (response.status_code, body["code"]) == (403, "lesson_locked")
    assert body["detail"].startswith("El día 3 aún no está abierto: se abre el ")


def test_the_reminder_email_is_written_in_the_language_it_is_sent_in(
    settings: Any, enrolled: Any, course: Course
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with translation.override("es"):
        assert reminders.send_reminder(enrolled.pk, timezone.now())
    (message,) = mail.outbox
    assert message.subject == "El día 1 de Seven days of Python te está esperando"
    assert "Te llevará unos diez minutos" in message.body
    assert "It takes about ten minutes" not in message.body
    html = str(message.alternatives[0][0])  # type: ignore[attr-defined]
    assert '<html lang="es" dir="ltr">' in html
    assert "Darse de baja de los recordatorios diarios" in html
