"""An LMS instructor's FREE account becomes INSTRUCTOR through accounts, audited; other roles stay."""

from __future__ import annotations

import pytest

from momentum.accounts.admin_actions import do_make_instructor
from momentum.accounts.models import Role
from momentum.audit.models import AuditLog
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_free_account_becomes_an_instructor_and_it_is_audited() -> None:
    user = make_user("terry@example.com")

    do_make_instructor(user, cause="lti_launch")

    user.refresh_from_db()
    assert user.role == Role.INSTRUCTOR
    change = AuditLog.objects.get(action="account.role_changed", resource_id=str(user.pk))
    assert (change.metadata["from"], change.metadata["to"], change.metadata["cause"]) == (
        "FREE",
        "INSTRUCTOR",
        "lti_launch",
    )


def test_any_other_role_is_kept() -> None:
    user = make_user("pam@example.com")
    user.role = Role.PREMIUM
    user.save()

    do_make_instructor(user, cause="lti_launch")

    user.refresh_from_db()
    assert user.role == Role.PREMIUM
    assert not AuditLog.objects.filter(action="account.role_changed").exists()
