"""Completing a course issues one certificate (also when the last lesson is completed twice at once),
with a notice and an email to the learner; a badge award issues a badge credential; every
credential takes its own position in the status list, which the database also guards."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from momentum.accounts.models import Notification
from momentum.achievements.models import Badge, BadgeAward
from momentum.credentials.actions import allocate_status_index, do_issue_certificate
from momentum.credentials.models import Credential
from momentum.learning.actions import do_enroll, do_record_progress
from momentum.learning.models import Enrollment
from tests.factories import make_course, make_user


def _complete_all_but_last(learner: Any, course: Any) -> Any:
    do_enroll(learner, course)
    lessons = list(course.lessons.order_by("day"))
    for lesson in lessons[:-1]:
        do_record_progress(learner, lesson, completed=True)
    return lessons[-1]


@pytest.mark.django_db
def test_completing_the_last_lesson_issues_one_certificate_and_tells_the_learner(
    api_as: Any, learner: Any, course: Any, django_capture_on_commit_callbacks: Any
) -> None:
    last = _complete_all_but_last(learner, course)
    assert not Credential.objects.filter(kind=Credential.Kind.CERTIFICATE).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(learner).put(f"/courses/{course.slug}/lessons/{last.pk}/progress", {"completed": True})

    assert response.json()["course_completed"] is True
    [certificate] = Credential.objects.filter(kind=Credential.Kind.CERTIFICATE)
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert (certificate.user, certificate.enrollment, certificate.issued_at) == (
        learner, enrollment, enrollment.completed_at,
    )  # fmt: skip
    notice = Notification.objects.get(user=learner, kind="certificate_issued")
    assert notice.url.endswith(f"/certificates/{certificate.id}/")
    [email] = [m for m in mail.outbox if "certificate" in m.subject]
    assert email.to == [learner.email]
    assert course.title in email.subject
    assert f"/certificates/{certificate.id}/" in email.body
    # completing a lesson again changes nothing
    api_as(learner).put(f"/courses/{course.slug}/lessons/{last.pk}/progress", {"completed": True})
    assert Credential.objects.filter(kind=Credential.Kind.CERTIFICATE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_completions_at_once_issue_one_certificate(api_as: Any, learner: Any) -> None:
    # given a course with one lesson left
    course = make_course("Concurrent certificates", duration_days=7)
    last = _complete_all_but_last(learner, course)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def complete() -> None:
        client = api_as(learner)
        barrier.wait()
        try:
            statuses.append(client.put(f"/courses/{course.slug}/lessons/{last.pk}/progress",
                                       {"completed": True}).status_code)  # fmt: skip
        finally:
            connection.close()

    # when two requests complete it on two connections at once
    threads = [threading.Thread(target=complete) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then both succeed and one certificate, one notice exist
    assert statuses == [200, 200]
    assert Credential.objects.filter(user=learner, kind=Credential.Kind.CERTIFICATE).count() == 1
    assert Notification.objects.filter(user=learner, kind="certificate_issued").count() == 1


@pytest.mark.django_db(transaction=True)
def test_certificates_issued_at_once_take_different_status_positions() -> None:
    # given four learners who each finished a course
    course = make_course("Positions", duration_days=7)
    enrollments = []
    for n in range(4):
        learner = make_user(f"parallel{n}@example.com")
        now = timezone.now()
        enrollments.append(Enrollment.objects.create(user=learner, course=course, enrolled_at=now, completed_at=now))
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def issue(enrollment: Enrollment) -> None:
        barrier.wait()
        try:
            do_issue_certificate(enrollment)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    # when their certificates are issued on four connections at once
    threads = [threading.Thread(target=issue, args=[e]) for e in enrollments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then each has its own position, taken in order from the counter
    assert errors == []
    positions = sorted(Credential.objects.values_list("status_index", flat=True))
    assert len(positions) == 4
    assert len(set(positions)) == 4
    assert allocate_status_index() == max(positions) + 1


@pytest.mark.django_db
def test_a_badge_award_issues_a_badge_credential(learner: Any) -> None:
    course = make_course("First steps", duration_days=7)
    do_enroll(learner, course)

    do_record_progress(learner, course.lessons.get(day=1), completed=True)

    award = BadgeAward.objects.get(user=learner, badge__code="first-lesson")
    credential = Credential.objects.get(badge_award=award)
    assert (credential.kind, credential.user, credential.issued_at) == (
        Credential.Kind.BADGE,
        learner,
        award.awarded_at,
    )


@pytest.mark.django_db
def test_the_database_refuses_a_certificate_without_its_enrolment(learner: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Credential.objects.create(kind=Credential.Kind.CERTIFICATE, user=learner, status_index=10_000)


@pytest.mark.django_db
def test_the_database_refuses_a_credential_whose_kind_and_subject_disagree(
    learner: Any, certificate: Credential
) -> None:
    award = BadgeAward.objects.create(user=learner, badge=Badge.objects.earliest("pk"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Credential.objects.create(kind=Credential.Kind.BADGE, user=learner, status_index=10_001)
    with pytest.raises(IntegrityError), transaction.atomic():
        Credential.objects.filter(pk=certificate.pk).update(kind="DIPLOMA")
    with pytest.raises(IntegrityError), transaction.atomic():
        Credential.objects.filter(pk=certificate.pk).update(badge_award=award)


@pytest.mark.django_db
def test_the_database_refuses_two_credentials_at_one_status_position(learner: Any, certificate: Credential) -> None:
    award = BadgeAward.objects.create(user=learner, badge=Badge.objects.earliest("pk"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Credential.objects.create(
            kind=Credential.Kind.BADGE, user=learner, badge_award=award, status_index=certificate.status_index
        )


@pytest.mark.django_db
def test_the_database_refuses_a_revocation_without_a_reason_or_with_a_long_one(certificate: Credential) -> None:
    revoked = Credential.objects.filter(pk=certificate.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        revoked.update(revoked_at=certificate.issued_at, revoke_reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        revoked.update(revoked_at=certificate.issued_at, revoke_reason="x" * 1001)
    with pytest.raises(IntegrityError), transaction.atomic():
        revoked.update(revoke_reason="a reason, but not revoked")
    revoked.update(revoked_at=certificate.issued_at, revoke_reason="x" * 1000)


def _credentials_revision() -> int:
    from momentum.platform.models import CacheRevision

    found = CacheRevision.objects.filter(scope="credentials").first()
    return found.revision if found is not None else 0


@pytest.mark.django_db
def test_issuing_and_signing_leave_the_verify_pages_cached_and_a_revocation_moves_them() -> None:
    learner = make_user("sam@example.com")
    course = make_course("Signed quietly", duration_days=7)
    last = _complete_all_but_last(learner, course)  # badges are issued and signed on the way
    before = _credentials_revision()

    do_record_progress(learner, last, completed=True)  # completes the course: a certificate, signed
    credential = Credential.objects.get(user=learner, kind=Credential.Kind.CERTIFICATE)

    assert credential.signed_credential is not None
    assert _credentials_revision() == before
    Credential.objects.filter(pk=credential.pk).update(revoked_at=timezone.now(), revoke_reason="A mistake")
    assert _credentials_revision() > before
