"""credentials 0001 / learning 0005: the certificates issued before credentials existed become
credentials under their old serial, so every verify link already handed out keeps working."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from momentum.credentials.actions import allocate_status_index
from momentum.credentials.models import Credential
from momentum.lib import db_triggers

BEFORE = [("learning", "0004_cohorts_and_open_days"), ("credentials", None)]


@pytest.fixture
def before_credentials(transactional_db: None) -> Iterator[Any]:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    db_triggers.restore_missing(connection)
    try:
        yield MigrationExecutor(connection).loader.project_state([("learning", "0004_cohorts_and_open_days")]).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        db_triggers.restore_missing(connection)


def test_old_certificates_keep_their_serial_as_public_id(before_credentials: Any) -> None:
    # Given two certificates issued before the credentials app
    User = before_credentials.get_model("accounts", "User")
    Category = before_credentials.get_model("catalog", "Category")
    Course = before_credentials.get_model("catalog", "Course")
    Enrollment = before_credentials.get_model("learning", "Enrollment")
    Certificate = before_credentials.get_model("learning", "Certificate")
    course = Course.objects.create(slug="old", title="Old", category=Category.objects.first(), duration_days=7)
    serials = []
    for n in range(2):
        user = User.objects.create(email=f"old{n}@example.com", display_name=f"Old {n}")
        now = timezone.now()
        enrollment = Enrollment.objects.create(user=user, course=course, enrolled_at=now, completed_at=now)
        serials.append(Certificate.objects.create(enrollment=enrollment, issued_at=now).serial)

    # When the database is migrated
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # Then each is a certificate credential with its serial as id and its own status-list position
    credentials = list(Credential.objects.order_by("status_index"))
    assert [c.id for c in credentials] == serials
    assert {c.kind for c in credentials} == {Credential.Kind.CERTIFICATE}
    assert [c.status_index for c in credentials] == [0, 1]
    assert all(c.enrollment is not None and c.enrollment.user_id == c.user_id for c in credentials)
    # and the next credential takes the next position
    assert allocate_status_index() == 2
