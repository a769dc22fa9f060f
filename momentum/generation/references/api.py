"""POST /reference-documents: an admin uploads a PDF that grounds generated courses."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from momentum.accounts.policy import Access, api_access, caller
from momentum.generation.references.actions import do_store_reference_document

router = Router(tags=["generation"])


class ReferenceDocumentOut(Schema):
    id: UUID
    filename: str
    pages: int
    characters: int
    truncated: bool  # the text was cut at the page or character limit: only the start grounds courses


@router.post(
    "/reference-documents",
    response={200: ReferenceDocumentOut, 201: ReferenceDocumentOut},
    auth=api_access(Access.COURSE_STAFF),
)
def upload_reference_document(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """Multipart `file`: a PDF (checked by its content, at most MOMENTUM_MAX_REFERENCE_PDF_BYTES).

    201 with the extracted page and character counts; 200 with the earlier document when the
    same admin uploads the same file again; 413 past the size limit; 422 for a file that is not
    a readable PDF, is encrypted, or has no extractable text.
    """
    stored = do_store_reference_document(file, actor=caller(request), request=request)
    document = stored.document
    body = {
        "id": document.pk,
        "filename": document.filename,
        "pages": document.pages,
        "characters": document.characters,
        "truncated": stored.truncated,
    }
    return Status(201 if stored.created else 200, body)
