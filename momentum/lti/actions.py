"""Writes of the LTI tool: platform registrations (audited), accepting a launch (the account linked
by iss + sub, the course role, the grade link), and scores owed to a platform's gradebook.

Scores never block a request: ``do_report_*`` write an LtiScore row and, after commit, queue
``lti.send_score`` (momentum/lti/workflows.py), which posts it with retries.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from momentum.accounts.models import Role, User
from momentum.audit.actions import do_record_audit
from momentum.catalog.models import Course
from momentum.catalog.staff import is_course_staff
from momentum.lib import clock
from momentum.lib.plain_rows import PlainRows
from momentum.lib.problems import Conflict, Problem
from momentum.lib.safe_urls import check_url_form
from momentum.lti import claims
from momentum.lti.audit_actions import AuditAction
from momentum.lti.models import (
    ActivityProgress,
    GradingProgress,
    LtiContext,
    LtiDeployment,
    LtiGradeLink,
    LtiIdentity,
    LtiPlatform,
    LtiScore,
    ScoreStatus,
)

PLATFORM_FIELDS = ("name", "issuer", "client_id", "auth_login_url", "auth_token_url", "keyset_url", "auth_audience")


# --- Registrations ---------------------------------------------------------------------------


@transaction.atomic
def do_save_platform(
    platform: LtiPlatform | None,
    fields: dict[str, Any],
    deployment_ids: list[str],
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> LtiPlatform:
    """Register a platform (``platform`` None) or change one; its deployment IDs become exactly
    ``deployment_ids``. 409 ``platform_exists`` for an issuer + client ID registered already."""
    for name in ("auth_login_url", "auth_token_url", "keyset_url"):
        if name in fields:  # the server fetches these: never an internal target (unless settings allow)
            fields = {**fields, name: check_url_form(str(fields[name]), field=name)}
    created = platform is None
    platform = platform or LtiPlatform()
    for name in PLATFORM_FIELDS:
        setattr(platform, name, fields.get(name, getattr(platform, name)))
    try:
        with transaction.atomic():
            platform.save()
    except IntegrityError:
        raise Conflict("platform_exists", "This issuer and client ID are registered already.") from None
    wanted = list(dict.fromkeys(d.strip() for d in deployment_ids if d.strip()))
    LtiDeployment.objects.filter(platform=platform).exclude(deployment_id__in=wanted).delete()
    for deployment_id in wanted:
        LtiDeployment.objects.get_or_create(platform=platform, deployment_id=deployment_id)
    do_record_audit(
        AuditAction.PLATFORM_REGISTERED if created else AuditAction.PLATFORM_CHANGED,
        actor=actor, resource=platform, request=request,
        metadata={"issuer": platform.issuer, "client_id": platform.client_id, "deployment_ids": wanted},
    )  # fmt: skip
    return platform


@transaction.atomic
def do_delete_platform(platform: LtiPlatform, *, actor: User | None, request: HttpRequest | None = None) -> None:
    do_record_audit(
        AuditAction.PLATFORM_DELETED, actor=actor, resource=platform, request=request,
        metadata={"issuer": platform.issuer, "client_id": platform.client_id},
    )  # fmt: skip
    platform.delete()


# --- Launches ----------------------------------------------------------------------------------


class LaunchRefused(Problem):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(400, code, detail)


@dataclass
class Launch:
    user: User
    identity: LtiIdentity
    course: Course | None
    day: int | None
    instructor: bool
    frame_origins: list[str]


def origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def _placeholder_email(issuer: str, sub: str) -> str:
    digest = hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()[:24]
    return f"lti-{digest}@lti.invalid"


def _new_account(data: dict[str, Any], issuer: str, sub: str, instructor: bool) -> User:
    """A new account for a platform's user. The email the platform sends is kept (unverified) only
    when no account has it: an address never joins a launch to an existing account."""
    email = str(data.get("email") or "").strip().lower()[:254]
    if not email or "@" not in email or User.objects.filter(email=email).exists():
        email = _placeholder_email(issuer, sub)
    name = str(data.get("name") or data.get("given_name") or "").strip()[:100]
    return User.objects.create_user(
        email, None, display_name=name, email_verified=False, role=Role.INSTRUCTOR if instructor else Role.FREE
    )


def _identity(platform: LtiPlatform, data: dict[str, Any], instructor: bool, now: datetime) -> tuple[LtiIdentity, bool]:
    sub = str(data.get("sub") or "")[:255]
    if not sub:
        raise LaunchRefused("lti_anonymous_launch", "This launch names no user (sub); Momentum needs one.")
    identity = LtiIdentity.objects.select_related("user").filter(issuer=platform.issuer, sub=sub).first()
    if identity is not None:
        identity.last_launch_at = now
        identity.platform = platform
        identity.save(update_fields=["last_launch_at", "platform"])
        return identity, False
    user = _new_account(data, platform.issuer, sub, instructor)
    try:
        with transaction.atomic():
            identity = LtiIdentity.objects.create(
                issuer=platform.issuer, sub=sub, platform=platform, user=user, last_launch_at=now
            )
    except IntegrityError:  # a concurrent first launch of the same person linked first
        user.delete()
        return LtiIdentity.objects.select_related("user").get(issuer=platform.issuer, sub=sub), False
    return identity, True


def _target(data: dict[str, Any]) -> tuple[Course | None, int | None]:
    from momentum.catalog.queries import published_courses

    custom = claims.claim(data, claims.CUSTOM)
    slug = str(custom.get(claims.CUSTOM_COURSE) or "")
    if not slug:
        return None, None
    course = published_courses().filter(slug=slug).first()
    if course is None:
        raise LaunchRefused("lti_unknown_course", f"This link opens the course “{slug}”, which is not published here.")
    day_text = str(custom.get(claims.CUSTOM_DAY) or "")
    if not day_text:
        return course, None
    if not day_text.isdigit() or not 1 <= int(day_text) <= course.duration_days:
        raise LaunchRefused("lti_unknown_day", f"This link opens day {day_text[:10]}, which the course does not have.")
    return course, int(day_text)


def _give_course_role(user: User, course: Course, instructor: bool, request: HttpRequest | None) -> None:
    from momentum.accounts.admin_actions import do_make_instructor
    from momentum.catalog.actions import do_add_co_instructor
    from momentum.learning.actions import do_enroll

    if instructor:
        if user.role == Role.FREE:
            do_make_instructor(user, cause="lti_launch", request=request)
        if user.role == Role.INSTRUCTOR and not is_course_staff(user, course):
            do_add_co_instructor(course, user, actor=None, request=request)
        return
    if not is_course_staff(user, course):
        try:
            do_enroll(user, course, request=request)
        except Problem as problem:
            raise LaunchRefused(problem.code, problem.detail) from None


def _remember_services(
    identity: LtiIdentity, platform: LtiPlatform, course: Course, day: int | None, data: dict[str, Any]
) -> None:
    context = claims.claim(data, claims.CONTEXT)
    context_id = str(context.get("id") or "")[:255]
    nrps = claims.claim(data, claims.NRPS)
    members_url = str(nrps.get("context_memberships_url") or "")[:1000]
    if context_id:
        LtiContext.objects.update_or_create(
            platform=platform, context_id=context_id, course=course,
            defaults={"title": str(context.get("title") or "")[:500], "memberships_url": members_url},
        )  # fmt: skip
    ags = claims.claim(data, claims.AGS_ENDPOINT)
    lineitem = str(ags.get("lineitem") or "")
    scopes = [s for s in ags.get("scope", []) if isinstance(s, str)] if isinstance(ags.get("scope"), list) else []
    if lineitem.startswith(("https://", "http://")) and claims.SCORE_SCOPE in scopes and len(lineitem) <= 1000:
        LtiGradeLink.objects.update_or_create(
            identity=identity, course=course, day=day,
            defaults={"platform": platform, "lineitem_url": lineitem, "scopes": scopes, "context_id": context_id,
                      "memberships_url": members_url},
        )  # fmt: skip


@transaction.atomic
def do_accept_launch(
    platform: LtiPlatform, data: dict[str, Any], *, request: HttpRequest | None = None, now: datetime | None = None
) -> Launch:
    """Accept a launch whose id_token pylti1p3 has validated (signature, nonce, state, deployment):
    link or create the account of (iss, sub), give it its role on the linked course (an LMS
    Instructor teaches it here, anyone else is enrolled), and remember where its grades and its
    class list are. Raises LaunchRefused (400) with the reason otherwise."""
    now = now or clock.now()
    instructor = claims.is_instructor(data)
    identity, created = _identity(platform, data, instructor, now)
    user = identity.user
    if not user.is_active:
        raise LaunchRefused("account_inactive", "This account is deactivated on Momentum.")
    deep_linking = data.get(claims.MESSAGE_TYPE) == "LtiDeepLinkingRequest"
    course, day = (None, None) if deep_linking else _target(data)
    if course is not None:
        _give_course_role(user, course, instructor, request)
        _remember_services(identity, platform, course, day, data)
    if created:
        do_record_audit(AuditAction.IDENTITY_LINKED, actor=user, resource=identity, request=request,
                        metadata={"issuer": platform.issuer, "platform_id": platform.pk})  # fmt: skip
    do_record_audit(
        AuditAction.LAUNCHED, actor=user, resource=platform, request=request,
        metadata={"message_type": str(data.get(claims.MESSAGE_TYPE, ""))[:40],
                  "course_id": course.pk if course else None, "day": day, "instructor": instructor},
    )  # fmt: skip
    presentation = claims.claim(data, claims.LAUNCH_PRESENTATION)
    origins = [
        origin_of(platform.issuer),
        origin_of(platform.auth_login_url),
        origin_of(str(presentation.get("return_url", ""))),
    ]
    return Launch(user, identity, course, day, instructor, sorted({o for o in origins if o}))


# --- Scores owed to gradebooks -------------------------------------------------------------------


def _queue(score: LtiScore) -> None:
    def send() -> None:
        from momentum.lti import workflows
        from momentum.platform import durable

        durable.enqueue(workflows.send_score, score.pk, queue="lti", workflow_id=f"lti-score-{score.pk}")

    transaction.on_commit(send)


def _owe(links: Any, given: Decimal, maximum: Decimal, activity: str, now: datetime) -> list[LtiScore]:
    scores = []
    for link in links:
        score = LtiScore.objects.create(
            grade_link=link, score_given=given, score_maximum=maximum, activity_progress=activity,
            grading_progress=GradingProgress.FULLY_GRADED, timestamp=now,
        )  # fmt: skip
        _queue(score)
        scores.append(score)
    return scores


# A learner's grade links for one day of a course, read on every quiz attempt: plain SQL.
_IDENTITIES = LtiIdentity._meta.db_table
_DAY_LINKS = PlainRows(
    LtiGradeLink,
    f"identity_id IN (SELECT id FROM {_IDENTITIES} WHERE user_id = %s) AND course_id = %s AND day = %s",  # noqa: S608
)


def do_report_quiz_attempt(user: Any, course_id: int, day: int, score_percent: int, now: datetime) -> list[LtiScore]:
    """A learner who came from a platform took a day's quiz: its score goes to that day's line item."""
    links = _DAY_LINKS.all([user.pk, course_id, day])
    return _owe(links, Decimal(score_percent), Decimal(100), ActivityProgress.SUBMITTED, now)


def do_report_course_completed(user: Any, course_id: int, now: datetime) -> list[LtiScore]:
    """A learner who came from a platform finished a course: full marks, Completed, on the course's line item."""
    links = LtiGradeLink.objects.filter(identity__user_id=user.pk, course_id=course_id, day__isnull=True)
    return _owe(links, Decimal(100), Decimal(100), ActivityProgress.COMPLETED, now)


def do_record_score_attempt(score_id: int, error: str | None, now: datetime, *, final: bool = False) -> None:
    """After a try at sending a score: sent, or the error kept (and FAILED once retries are spent)."""
    score = LtiScore.objects.get(pk=score_id)
    score.attempts += 1
    if error is None:
        score.status, score.sent_at, score.last_error = ScoreStatus.SENT, now, ""
    else:
        if not (final and score.last_error and error.startswith("DBOSMaxStepRetriesExceeded")):
            score.last_error = error[:1000]  # keep the platform's own answer over DBOS's "retries exceeded"
        if final:
            score.status = ScoreStatus.FAILED
    score.save(update_fields=["attempts", "status", "sent_at", "last_error"])
