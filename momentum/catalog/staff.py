"""Who runs a course: the one answer every app asks before showing or changing a course's staff-only things.

Today only admins run courses; instructors (owners and co-instructors of a course) join with issue 19.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from momentum.accounts.models import User
    from momentum.catalog.models import Course


def is_course_staff(user: User, course: Course) -> bool:
    """Whether ``user`` may moderate, review and see the learners of ``course``."""
    return bool(user.is_authenticated and user.is_active and user.is_admin)
