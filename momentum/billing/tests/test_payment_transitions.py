"""The payment state machine is one table: every status change goes through it, and a move it
does not list is refused with a clear error (a late or repeated provider event changes nothing)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from momentum.accounts.actions import do_create_user
from momentum.billing import payments
from momentum.billing.models import Payment, PaymentStatus, Product, Provider
from momentum.billing.payments import TRANSITIONS, InvalidTransition, allows, transition
from momentum.billing.products import PLAN_CODE
from tests.python_sources import parse

S = PaymentStatus
BILLING = Path(payments.__file__).parent


def test_the_table_names_every_status_and_a_refund_is_final() -> None:
    assert set(TRANSITIONS) == set(PaymentStatus)
    assert TRANSITIONS[S.REFUNDED] == frozenset()
    assert [status for status in PaymentStatus if allows(status, S.REFUNDED)] == [S.SUCCEEDED]


def test_the_table_says_which_moves_a_payment_may_make() -> None:
    allowed = {(before, after) for before in PaymentStatus for after in PaymentStatus if allows(before, after)}
    assert allowed == {
        (S.PENDING, S.SUCCEEDED), (S.PENDING, S.FAILED), (S.PENDING, S.CANCELLED), (S.PENDING, S.EXPIRED),
        (S.CANCELLED, S.SUCCEEDED), (S.CANCELLED, S.FAILED),
        (S.FAILED, S.SUCCEEDED),
        (S.EXPIRED, S.SUCCEEDED),
        (S.SUCCEEDED, S.REFUNDED),
    }  # fmt: skip


@pytest.mark.django_db
def test_a_move_the_table_does_not_list_is_refused_with_a_clear_error() -> None:
    learner = do_create_user("buyer@example.com", "a-long-password-1", display_name="Buyer")
    payment = Payment.objects.create(
        user=learner, product=Product.PLAN, plan=PLAN_CODE, amount_cents=900, provider=Provider.SANDBOX
    )
    with pytest.raises(InvalidTransition, match=f"payment {payment.pk} cannot go from PENDING to REFUNDED"):
        transition(payment, S.REFUNDED, fields=[])
    payment.refresh_from_db()
    assert payment.status == S.PENDING


@pytest.mark.django_db
def test_a_late_event_for_a_payment_the_table_does_not_let_move_changes_nothing() -> None:
    learner = do_create_user("buyer@example.com", "a-long-password-1", display_name="Buyer")
    payment = Payment.objects.create(
        user=learner, product=Product.PLAN, plan=PLAN_CODE, amount_cents=900, provider=Provider.SANDBOX
    )
    payments.do_expire_payment(payment, event_id="evt_1")
    assert payments.do_cancel_payment(payment, event_id="evt_2").status == S.EXPIRED


def test_no_billing_code_sets_a_payment_status_but_the_table() -> None:
    offenders = []
    for path in sorted(BILLING.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "payments.py":
            continue
        for node in ast.walk(parse(path)):
            if not isinstance(node, ast.Assign):
                continue
            targets = node.targets
            if any(isinstance(target, ast.Attribute) and target.attr == "status" for target in targets):
                source = ast.unparse(node)
                if "PaymentStatus" in source or "payment" in source:
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
