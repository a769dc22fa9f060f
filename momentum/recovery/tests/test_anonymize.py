"""`momentum anonymize`: a production backup becomes a staging backup with no one recognisable in it."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from momentum.accounts.models import Notification, User
from momentum.analytics.models import EventKind, LearningEvent
from momentum.audit.actions import do_record_audit
from momentum.audit.models import AuditLog
from momentum.billing.models import WebhookEvent
from momentum.catalog.models import Category, Course
from momentum.learning.models import Enrollment
from momentum.recovery import manifest, service
from momentum.recovery import restore as recovery
from momentum.recovery.anonymize import anonymize_backup

pytestmark = pytest.mark.django_db(transaction=True)
ORIGINALS = ["ada.admin@example.com", "lee.learner@example.com", "Lee Learner", "Ada Admin", "203.0.113.77",
             "grace@hopper.example"]  # fmt: skip


@pytest.fixture
def production_data(admin: User, learner: User) -> Course:
    course = Course.objects.create(
        slug="focus", title="Focus", category=Category.objects.get(slug="health-wellness"), duration_days=7
    )
    Enrollment.objects.create(user=learner, course=course)
    AuditLog.objects.create(action="account.signed_in", actor=learner, ip_address="203.0.113.77",
                            user_agent="Mozilla/5.0 (Lee's laptop)",
                            metadata={"email": "lee.learner@example.com",
                                      "note": "asked Grace (grace@hopper.example)"})  # fmt: skip
    Notification.objects.create(user=learner, kind="badge_awarded", title="Welcome", body="Hello Lee Learner, welcome!")
    WebhookEvent.objects.create(provider="stripe", event_id="evt_1", type="checkout.session.completed",
                                payload={"customer_email": "lee.learner@example.com",
                                         "name": "Lee Learner"})  # fmt: skip
    LearningEvent.objects.create(kind=EventKind.ENROLLED, user=learner, course=course,
                                 properties={"referrer": "mail from ada.admin@example.com"})  # fmt: skip
    do_record_audit("course.created", actor=admin, resource=course, metadata={"by": "Ada Admin"})
    return course


def every_text_value() -> str:
    """All text of all tables of the live database, as one string to search."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            parts.extend(str(value) for row in cursor.fetchall() for value in row if value is not None)
    return "\n".join(parts)


def test_an_anonymised_copy_of_a_production_backup_holds_no_personal_data(
    production_data: Course, backup_target: Path, tmp_path: Path, settings: Any
) -> None:
    # Given a production backup with people in it
    settings.MOMENTUM_ENV = "prod"
    source = service.create_backup()
    assert all(original in every_text_value() for original in ORIGINALS)
    enrolments = Enrollment.objects.count()

    # When it is anonymised for staging and restored there
    settings.MOMENTUM_ENV = "staging"
    out = StringIO()
    call_command("anonymize", source.location, "--to", str(tmp_path / "staging-backups"), stdout=out)
    copy = out.getvalue().splitlines()[0]
    recovery.restore_backup(copy)

    # Then no email, name or IP address of anyone remains, and the data still hangs together
    text = every_text_value()
    assert [original for original in ORIGINALS if original in text] == []
    body = manifest.read(Path(copy))
    assert body["anonymized"] is True
    assert body["environment"] == "staging"
    assert body["source"]["name"] == Path(source.location).name
    learner = User.objects.get(display_name__startswith="Learner", enrollments__isnull=False)
    assert learner.email == f"user-{learner.pk}@example.invalid"
    assert not learner.has_usable_password()
    assert Enrollment.objects.count() == enrolments
    assert AuditLog.objects.filter(ip_address__isnull=False).count() == 0


def test_the_copy_drops_sessions_and_tokens(production_data: Course, backup_target: Path, tmp_path: Path) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    SessionStore().create()
    source = service.create_backup()

    location = anonymize_backup(source.location, destination=str(tmp_path / "copies"))

    tables = manifest.read(Path(location))["database"]["tables"]
    assert tables["django_session"]["rows"] == 0
    assert tables["accounts_refreshtoken"]["rows"] == 0
    assert tables["accounts_user"]["rows"] == 2
