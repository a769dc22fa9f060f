"""Checkout and the payment history in Spanish and Arabic (issue 18), and a billing problem in the
caller's language with its English code."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.accounts.models import User
from momentum.catalog.models import Course
from tests.i18n.speaking import get_in, post_in, text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "said", "english"),
    [
        (
            "es",
            ["Curso premium · pago único", "Paga una vez: sin suscripción", "Continuar al pago", "MODO DE PRUEBA"],
            "Continue to payment",
        ),
        (
            "ar",
            ["دورة مميزة · دفعة واحدة", "ادفع مرة واحدة: دون اشتراك", "المتابعة إلى الدفع", "وضع الاختبار"],
            "Pay once",
        ),
    ],
)
def test_checkout_speaks_the_learners_language(
    *, browser_of: Any, learner: User, premium_course: Course, language: str, said: list[str], english: str
) -> None:
    page = text_of(get_in(browser_of(learner), language, f"/checkout/?course={premium_course.slug}"))
    assert all(words in page for words in said), said
    assert english not in page


def test_the_payment_history_speaks_the_learners_language(browser_of: Any, learner: User) -> None:
    page = text_of(get_in(browser_of(learner), "es", "/profile/payments/"))
    assert "Historial de pagos" in page
    assert "Aún no hay pagos." in page
    assert "No payments yet" not in page


def test_a_free_course_is_a_spanish_problem_with_its_english_code(
    api_as: Any, learner: User, free_course: Course
) -> None:
    response = post_in(api_as(learner), "es", "/checkout", {"course": free_course.slug})
    body = response.json()
    assert (response.status_code, body["code"]) == (409, "not_for_sale")
    assert body["detail"] == "Este curso es gratuito: inscríbete sin pagar."
