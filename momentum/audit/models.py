"""The audit trail: who did what to which object, from where."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditLog(models.Model):
    """Who did what to which object, from where (columns as in the evaluation's 5.2.3)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The subject: the person the event is about (for a GDPR export), when there is one.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=100)
    resource_type = models.CharField(max_length=50, blank=True)
    resource_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ops_auditlog"  # the table of the app it came from (ops); its rows stay
        indexes = [
            models.Index(fields=["-created_at"], name="audit_by_time"),
            models.Index(fields=["action", "-created_at"], name="audit_by_action"),
            models.Index(fields=["actor", "-created_at"], name="audit_by_actor"),
            models.Index(fields=["subject", "-created_at"], name="audit_by_subject"),
            models.Index(fields=["resource_type", "resource_id"], name="audit_by_resource"),
        ]
