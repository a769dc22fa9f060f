"""The LTI tables hold their rules themselves (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from momentum.lib import clock
from momentum.lti.models import LtiDeployment, LtiIdentity, LtiScore
from momentum.lti.tests.factories import make_grade_link, make_platform
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def test_an_issuer_registers_each_client_id_once() -> None:
    make_platform()
    make_platform(client_id="client-2")  # one issuer, several client IDs
    with pytest.raises(IntegrityError), transaction.atomic():
        make_platform()


@pytest.mark.parametrize(
    "fields",
    [{"issuer": ""}, {"client_id": ""}, {"keyset_url": "ftp://x.example/keys"}, {"auth_login_url": "javascript:x"}],
)
def test_a_registration_without_an_issuer_a_client_id_or_with_a_non_http_url_is_refused(fields: dict[str, str]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_platform(**fields)


def test_a_deployment_id_is_listed_once_per_platform() -> None:
    platform = make_platform()
    LtiDeployment.objects.create(platform=platform, deployment_id="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        LtiDeployment.objects.create(platform=platform, deployment_id="1")


def test_a_platform_user_is_linked_to_one_account(learner, stranger) -> None:
    platform = make_platform()
    LtiIdentity.objects.create(issuer=platform.issuer, sub="42", platform=platform, user=learner)
    with pytest.raises(IntegrityError), transaction.atomic():
        LtiIdentity.objects.create(issuer=platform.issuer, sub="42", platform=platform, user=stranger)


def test_a_score_stays_between_zero_and_its_maximum(learner) -> None:
    link = make_grade_link(learner, make_course())
    fields = {
        "grade_link": link,
        "activity_progress": "Completed",
        "grading_progress": "FullyGraded",
        "timestamp": clock.now(),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        LtiScore.objects.create(score_given=Decimal(101), score_maximum=Decimal(100), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        LtiScore.objects.create(score_given=Decimal(1), score_maximum=Decimal(0), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        LtiScore.objects.create(score_given=Decimal(1), score_maximum=Decimal(10), status="sent", **fields)


def test_a_learner_has_one_grade_link_per_course_and_per_day(learner) -> None:
    course = make_course()
    link = make_grade_link(learner, course)
    link.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        link.save()
