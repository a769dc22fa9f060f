"""What every app leans on and that is not a domain: idempotency records, cache revisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotencyRecord(models.Model):
    """The first answer to a mutation that carried an Idempotency-Key, replayed for repeats."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=100)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ops_idempotencyrecord"  # the table of the app it came from (ops); its rows stay
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_key_once")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_by_age")]


class CacheRevision(models.Model):
    """The revision of a family of cached reads ("catalogue", "learner:<user id>").

    Database triggers move a scope's revision forward on every write to the tables its reads
    come from (migration ops 0004), whoever writes: the ORM, a bulk insert, raw SQL, another
    process. Cached entries are keyed by the revision they were computed at, so a write is
    visible on the next read in every process, with the local cache as with Redis. A
    revision is a time in microseconds (never less than the previous one plus one), so a
    database restored from a backup never meets entries of another state under its numbers.
    """

    scope = models.CharField(max_length=80, primary_key=True)
    revision = models.BigIntegerField()

    class Meta:
        db_table = "ops_cacherevision"  # the table the triggers of ops 0004 write; its rows stay

    def __str__(self) -> str:
        return f"{self.scope}@{self.revision}"
