"""Reading accounts for user administration: the filtered list, one person's enrolments and trail."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from momentum.accounts.models import User


def users(*, q: str = "", role: str = "", active: bool | None = None) -> QuerySet[User]:
    """Accounts matching a search over email and display name, a role and an activation state."""
    found = User.objects.all()
    if q.strip():
        words = q.strip()
        found = found.filter(Q(email__icontains=words) | Q(display_name__icontains=words))
    if role:
        found = found.filter(role=role)
    if active is not None:
        found = found.filter(is_active=active)
    return found.order_by("-created_at", "-pk")


def user_or_none(pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()


def enrollments_of(user: User) -> list[Any]:
    from momentum.learning.models import Enrollment, LessonProgress

    enrollments = list(Enrollment.objects.filter(user=user).select_related("course").order_by("-enrolled_at"))
    done: dict[int, int] = {}
    for course_id in LessonProgress.objects.filter(user=user, completed=True).values_list("course_id", flat=True):
        done[course_id] = done.get(course_id, 0) + 1
    for enrollment in enrollments:
        days = enrollment.course.duration_days
        enrollment.lessons_completed = done.get(enrollment.course_id, 0)  # type: ignore[attr-defined]
        enrollment.progress_percent = round(100 * min(enrollment.lessons_completed, days) / days)  # type: ignore[attr-defined]
    return enrollments


def audit_trail(user: User, limit: int = 50) -> list[Any]:
    """What happened to and by this person, newest first."""
    from momentum.audit.models import AuditLog

    entries = list(
        AuditLog.objects.filter(Q(subject=user) | Q(actor=user) | Q(resource_type="user", resource_id=str(user.pk)))
        .select_related("actor")
        .order_by("-created_at")[:limit]
    )
    for entry in entries:  # keys in a stable order (PostgreSQL's jsonb keeps its own)
        entry.details = "; ".join(f"{key}: {value}" for key, value in sorted(entry.metadata.items()))  # type: ignore[attr-defined]
    return entries
