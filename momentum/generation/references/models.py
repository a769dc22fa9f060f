"""Reference documents and their passages (generation's since issue 15; their tables keep the
names they had in catalog, so a database made before keeps its rows)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact


class ReferenceDocument(models.Model):
    """A PDF an admin uploads to ground generated courses, with its extracted text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(upload_to="references/%Y/%m/")
    filename = models.CharField(max_length=255)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(default=0)
    characters = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="reference_documents"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "catalog_referencedocument"  # its name from when it lived in catalog
        indexes = [models.Index(fields=["uploaded_by", "-created_at"], name="reference_by_uploader")]
        constraints = [models.CheckConstraint(condition=Q(Exact(Length("sha256"), 64)), name="reference_sha256_hex")]

    def __str__(self) -> str:
        return self.filename


class ReferenceChunk(models.Model):
    """A passage of a reference document, the unit that grounds an outline or a lesson."""

    document = models.ForeignKey(ReferenceDocument, on_delete=models.CASCADE, related_name="chunks")
    position = models.PositiveIntegerField()
    page = models.PositiveIntegerField(default=1)
    text = models.TextField()

    class Meta:
        db_table = "catalog_referencechunk"
        ordering: ClassVar = ["document", "position"]
        constraints = [models.UniqueConstraint(fields=["document", "position"], name="chunk_position_unique")]
