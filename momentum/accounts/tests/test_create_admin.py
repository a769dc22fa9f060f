"""momentum create-admin: non-interactive and idempotent."""

import pytest
from django.core.management import CommandError, call_command

from momentum.accounts.models import Role, User
from momentum.audit.models import AuditLog

pytestmark = pytest.mark.django_db


def test_create_admin_creates_a_verified_admin_who_can_sign_in() -> None:
    call_command("create_admin", email="Boss@Example.com", password="a-long-secret-9")
    user = User.objects.get()
    assert (user.email, user.role, user.email_verified) == ("boss@example.com", Role.ADMIN, True)
    assert user.check_password("a-long-secret-9")


def test_create_admin_twice_leaves_one_admin_with_the_latest_password() -> None:
    call_command("create_admin", email="boss@example.com", password="a-long-secret-9")
    call_command("create_admin", email="boss@example.com", password="another-secret-7")
    assert User.objects.count() == 1
    assert User.objects.get().check_password("another-secret-7")


def test_create_admin_promotes_an_existing_learner(learner: User) -> None:
    call_command("create_admin", email=learner.email, password="a-long-secret-9")
    learner.refresh_from_db()
    assert learner.role == Role.ADMIN
    assert AuditLog.objects.filter(action="account.admin_ensured", subject=learner).exists()


def test_create_admin_refuses_a_weak_password() -> None:
    with pytest.raises(CommandError, match="Password rejected"):
        call_command("create_admin", email="boss@example.com", password="12345678")
    assert not User.objects.exists()
