"""Who runs a course: the one answer every app asks before showing or changing a course's staff-only things.

A course's staff are the site's admins, the course's owner (the account that created it; a
course without one is site-owned: admins only) and its co-instructors (CourseInstructor rows the
owner adds). An owner or co-instructor counts only while their account is an active INSTRUCTOR
(or ADMIN): demoting an instructor takes every course of theirs out of their hands at once.

    is_course_staff(user, course)        may moderate, review, edit, publish (per the site setting),
                                         see the learners and reports of ``course``
    is_course_owner(user, course)        may also add and remove co-instructors
    require_course_staff(user, course)   raises 403 ``not_course_owner`` unless is_course_staff
    staffed_courses(user, courses)       ``courses`` narrowed to those the user runs (lists)

API operations and studio pages declare ``Access.COURSE_STAFF`` (momentum/accounts/policy.py),
then load their course with ``momentum.catalog.queries.staffed_course_or_404``, which calls
``require_course_staff``: that pair is the whole of course-level authorisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from momentum.accounts.policy import NotCourseOwner

if TYPE_CHECKING:
    from momentum.accounts.models import User
    from momentum.catalog.models import Course


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_course_staff(user: User | Any, course: Course) -> bool:
    """Whether ``user`` may moderate, review, edit and see the learners of ``course``."""
    if not _active(user):
        return False
    if user.is_admin:
        return True
    if not user.is_instructor:
        return False
    if course.owner_id is not None and course.owner_id == user.pk:
        return True
    return course.co_instructors.filter(user_id=user.pk).exists()


def is_course_owner(user: User | Any, course: Course) -> bool:
    """Whether ``user`` may add and remove the co-instructors of ``course`` (its owner, or an admin)."""
    if not _active(user):
        return False
    return bool(user.is_admin or (user.is_instructor and course.owner_id == user.pk))


def require_course_staff(user: User | Any, course: Course) -> Course:
    """``course``, or 403 ``not_course_owner`` when ``user`` does not run it."""
    if not is_course_staff(user, course):
        raise NotCourseOwner
    return course


def require_course_owner(user: User | Any, course: Course) -> Course:
    """``course``, or 403 ``not_course_owner`` when ``user`` is neither its owner nor an admin."""
    if not is_course_owner(user, course):
        raise NotCourseOwner
    return course


def staffed_courses(user: User | Any, courses: QuerySet[Course]) -> QuerySet[Course]:
    """``courses`` narrowed to the ones ``user`` runs: all of them for an admin."""
    if not _active(user):
        return courses.none()
    if user.is_admin:
        return courses
    if not user.is_instructor:
        return courses.none()
    return courses.filter(Q(owner=user) | Q(co_instructors__user=user)).distinct()
