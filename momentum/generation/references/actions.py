"""Writes of reference documents: an upload checked, read within bounds and kept with its passages."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from momentum.accounts.models import User
from momentum.audit.actions import do_record_audit
from momentum.generation.audit_actions import AuditAction
from momentum.generation.references.extraction import (
    chunk_pages,
    extract_text,
    invalid_upload,
    safe_filename,
    too_large,
)
from momentum.generation.references.models import ReferenceChunk, ReferenceDocument
from momentum.lib.terms import normalise

PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # the header may follow a little junk (the PDF spec allows it within 1 KB)


@dataclass(frozen=True)
class StoredReference:
    document: ReferenceDocument
    created: bool  # False: the uploader had sent this very file before
    truncated: bool


@contextmanager
def _local_copy(upload: Any) -> Iterator[tuple[Path, str, int]]:
    """The upload as a file on disk (Django's temporary file when it made one), its sha256 and size."""
    digest = hashlib.sha256()
    size = 0
    path_of = getattr(upload, "temporary_file_path", None)
    if path_of is not None:
        for block in upload.chunks():
            digest.update(block)
            size += len(block)
        yield Path(path_of()), digest.hexdigest(), size
        return
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        for block in upload.chunks():
            digest.update(block)
            size += len(block)
            copy.write(block)
        copy.flush()
        yield Path(copy.name), digest.hexdigest(), size


def do_store_reference_document(
    upload: Any, *, actor: User | None, request: HttpRequest | None = None
) -> StoredReference:
    """Check, read and keep an uploaded reference PDF with its passages; audit the upload."""
    limit = settings.MAX_REFERENCE_PDF_BYTES
    if upload.size is None or upload.size > limit:
        raise too_large(limit)
    upload.seek(0)
    if PDF_MAGIC not in upload.read(MAGIC_WINDOW):
        raise invalid_upload("must be a PDF document")
    upload.seek(0)
    with _local_copy(upload) as (path, sha256, size):
        if size > limit:
            raise too_large(limit)
        if actor is not None:
            existing = ReferenceDocument.objects.filter(uploaded_by=actor, sha256=sha256).order_by("created_at").first()
            if existing is not None:
                return StoredReference(existing, created=False, truncated=False)
        extraction = extract_text(path)
    text = extraction.text
    if not normalise(text):
        raise invalid_upload(
            "has no text we can extract (a scanned PDF? run it through OCR first)",
            rule="no_text",
            code="pdf_without_text",
        )
    name = safe_filename(upload.name)
    with transaction.atomic():
        document = ReferenceDocument(
            filename=name,
            size_bytes=size,
            sha256=sha256,
            pages=extraction.pages,
            characters=len(text),
            text=text,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        upload.seek(0)
        document.file.save(name, upload, save=False)
        document.save()
        ReferenceChunk.objects.bulk_create(
            ReferenceChunk(document=document, position=position, page=page, text=passage)
            for position, (page, passage) in enumerate(chunk_pages(extraction.page_texts))
        )
        do_record_audit(
            AuditAction.REFERENCE_DOCUMENT_UPLOADED,
            actor=actor,
            resource=document,
            request=request,
            metadata={
                "filename": name,
                "size_bytes": size,
                "sha256": sha256,
                "pages": extraction.pages,
                "characters": len(text),
                "truncated": extraction.truncated,
            },
        )
    return StoredReference(document, created=True, truncated=extraction.truncated)
