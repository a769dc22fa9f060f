"""The xAPI outbox and the pseudonyms that stand for learners in statements.

An OutboxStatement is one xAPI statement, written in the same transaction as the learning event it
reports (so a rolled-back enrolment reports nothing) and sent later by the worker. Its ``statement_id``
is the statement's own ``id``: sending it twice is harmless, as an LRS keeps one statement per id.
It stays PENDING, with the time of its next attempt, until the LRS took it; nothing is ever dropped.

An XapiActor is the opaque, stable name a learner has in every statement (``actor.account.name``):
a random UUID, never the email or the database id, so the LRS learns nothing else about the person.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

ERROR_MAX_LENGTH = 500


class XapiActor(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xapi_actor")
    name = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)


class Verb(models.TextChoices):
    """The events we report, by the short name of their verb (the IRIs are in ``statements.VERBS``)."""

    REGISTERED = "registered"
    EXPERIENCED = "experienced"
    COMPLETED = "completed"
    ANSWERED = "answered"
    PASSED = "passed"
    FAILED = "failed"
    EARNED = "earned"


class OutboxStatus(models.TextChoices):
    PENDING = "pending"
    SENT = "sent"


class OutboxStatement(models.Model):
    statement_id = models.UUIDField(unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xapi_statements")
    verb = models.CharField(max_length=16, choices=Verb.choices)
    statement = models.JSONField()
    status = models.CharField(max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=ERROR_MAX_LENGTH, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(verb__in=Verb.values), name="xapi_outbox_verb_known"),
            models.CheckConstraint(condition=Q(status__in=OutboxStatus.values), name="xapi_outbox_status_known"),
            models.CheckConstraint(
                condition=Q(status=OutboxStatus.SENT, sent_at__isnull=False)
                | Q(status=OutboxStatus.PENDING, sent_at__isnull=True),
                name="xapi_outbox_sent_iff_sent_at",
            ),
            models.CheckConstraint(condition=Q(attempts__gte=0), name="xapi_outbox_attempts_not_negative"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="xapi_outbox_due"),
            models.Index(fields=["status", "created_at"], name="xapi_outbox_oldest"),
        ]

    def __str__(self) -> str:
        return f"xAPI {self.verb} {self.statement_id} ({self.status})"
