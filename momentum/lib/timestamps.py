"""created_at / updated_at for models; the database keeps updated_at too (see db_triggers)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Timestamped(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
