"""Writes of user administration: an admin changes someone's role or turns their account off,
and a premium plan starting or ending moves its learner between FREE and PREMIUM. This module
is the only writer of ``User.role``.

An admin's changes keep at least one active admin: a change that would leave the site without one is
refused with 409 ``last_admin`` (the admin tables are locked while deciding, so two admins
demoting each other at once cannot both succeed).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from momentum.accounts.audit_actions import AuditAction
from momentum.accounts.models import RefreshToken, Role, User
from momentum.audit.actions import do_record_audit
from momentum.lib.problems import Conflict, Invalid


def _refuse_leaving_no_admin(user: User, *, role: str, is_active: bool) -> None:
    """409 when ``user`` ending up with ``role``/``is_active`` would leave no active admin."""
    if role == Role.ADMIN and is_active:
        return
    admins = User.objects.select_for_update().filter(role=Role.ADMIN, is_active=True)
    if not admins.exclude(pk=user.pk).exists():
        raise Conflict(
            "last_admin",
            _(
                "The site must keep an active admin: make another account an admin before demoting or "
                "deactivating this one."
            ),
        )


@transaction.atomic
def do_change_user_role(
    user: User, role: Role | str, *, actor: User | None, request: HttpRequest | None = None
) -> User:
    """Give ``user`` the role ADMIN, PREMIUM or FREE (audited as ``account.role_changed``)."""
    if role not in Role.values:
        raise Invalid("role", f"must be one of {', '.join(Role.values)}", rule="choice")
    user = User.objects.select_for_update().get(pk=user.pk)
    previous = user.role
    if previous == role:
        return user
    if user.erased_at is not None:
        raise Conflict("account_erased", _("This account was erased at its owner's request: it has no role to change."))
    _refuse_leaving_no_admin(user, role=str(role), is_active=user.is_active)
    user.role = Role(role)
    user.save(update_fields=["role", "updated_at"])
    do_record_audit(
        AuditAction.ACCOUNT_ROLE_CHANGED,
        actor=actor,
        subject=user,
        resource=user,
        request=request,
        metadata={"from": previous, "to": user.role, "email": user.email},
    )
    return user


@transaction.atomic
def do_follow_premium_plan(user: User, *, entitled: Callable[[User], bool], cause: str) -> User:
    """PREMIUM while a plan entitles ``user``, FREE after; an admin stays an admin.

    ``entitled`` (billing's view of the learner's plans) is asked once the account is locked, so
    two plan events for one learner at once settle on what the later one sees.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.role == Role.ADMIN or user.erased_at is not None:  # an erased account has no role to follow
        return user
    target = Role.PREMIUM if entitled(user) else Role.FREE
    if user.role == target:
        return user
    previous = user.role
    user.role = target
    user.save(update_fields=["role", "updated_at"])
    do_record_audit(
        AuditAction.ACCOUNT_ROLE_CHANGED, subject=user, resource=user,
        metadata={"from": previous, "to": target, "reason": "premium_plan", "cause": cause},
    )  # fmt: skip
    return user


@transaction.atomic
def do_make_instructor(user: User, *, cause: str, request: HttpRequest | None = None) -> User:
    """A FREE account becomes an INSTRUCTOR (an LMS launched it as its course's instructor); any
    other role is kept. Audited as ``account.role_changed`` with the ``cause``."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.role != Role.FREE or locked.erased_at is not None:
        user.role = locked.role
        return user
    previous = locked.role
    locked.role = Role.INSTRUCTOR
    locked.save(update_fields=["role", "updated_at"])
    user.role = locked.role  # the caller's copy follows the account
    do_record_audit(
        AuditAction.ACCOUNT_ROLE_CHANGED, subject=locked, resource=locked, request=request,
        metadata={"from": previous, "to": locked.role, "reason": "lms_instructor", "cause": cause},
    )  # fmt: skip
    return user


@transaction.atomic
def do_set_user_active(user: User, active: bool, *, actor: User | None, request: HttpRequest | None = None) -> User:
    """Turn an account off (it can no longer sign in; its refresh tokens are revoked) or back on."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return user
    if not active:
        _refuse_leaving_no_admin(user, role=user.role, is_active=False)
    if user.erased_at is not None and active:
        raise Conflict(
            "account_erased", _("This account was erased at its owner's request and cannot be turned back on.")
        )
    user.is_active = active
    user.save(update_fields=["is_active", "updated_at"])
    if not active:
        RefreshToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    do_record_audit(
        AuditAction.ACCOUNT_REACTIVATED if active else AuditAction.ACCOUNT_DEACTIVATED,
        actor=actor,
        subject=user,
        resource=user,
        request=request,
        metadata={"email": user.email},
    )
    return user
