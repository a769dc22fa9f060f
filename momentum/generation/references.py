"""Reference PDFs: store an upload, extract its text within bounds, chunk it, find relevant passages.

An upload is accepted only when it is a PDF by its first bytes *and* pypdf can read it; it is
refused when larger than MOMENTUM_MAX_REFERENCE_PDF_BYTES (413) or encrypted (422). Extraction
runs in a child process with memory, CPU and wall-clock limits (``pdf_text``) and reads at most
``MAX_PAGES`` pages and ``MAX_CHARACTERS`` characters, so a hostile file costs a bounded amount.
The text is cut into passages of about ``CHUNK_CHARACTERS`` on sentence boundaries, one page at
a time; ``passages_for`` ranks them against a query with BM25 to ground an outline or a lesson.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from momentum.catalog.models import ReferenceChunk, ReferenceDocument
from momentum.lib.problems import Problem
from momentum.lib.terms import bm25_scores, normalise, sentences
from momentum.ops.actions import do_record_audit

MAX_PAGES = 300
MAX_CHARACTERS = 500_000
EXTRACTION_TIMEOUT_SECONDS = 90
CHUNK_CHARACTERS = 1000
PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # the header may follow a little junk (the PDF spec allows it within 1 KB)


@dataclass(frozen=True)
class Extraction:
    pages: int  # the document's page count
    page_texts: tuple[str, ...]  # the text of the pages read (at most MAX_PAGES), in order
    truncated: bool  # a limit stopped the reading before the end

    @property
    def text(self) -> str:
        return "\n\n".join(t for t in self.page_texts if t)


@dataclass(frozen=True)
class StoredReference:
    document: ReferenceDocument
    created: bool  # False: the uploader had sent this very file before
    truncated: bool


def _invalid(message: str, *, rule: str = "media_type", code: str = "unsupported_media") -> Problem:
    return Problem(422, code, f"file: {message}", errors=[{"field": "file", "message": message, "rule": rule}])


def _too_large(limit: int) -> Problem:
    megabytes = limit / (1024 * 1024)
    return Problem(
        413,
        "payload_too_large",
        f"file: the PDF is larger than {megabytes:.0f} MB",
        errors=[{"field": "file", "message": f"must be at most {megabytes:.0f} MB", "rule": "max_size"}],
    )


def safe_filename(name: str) -> str:
    """The upload's own name, reduced to a harmless base name ending in .pdf.

    Directories (either slash), control characters and leading dots go; what is left keeps
    letters, digits, spaces, dots, dashes and underscores, at most 100 characters.
    """
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = unicodedata.normalize("NFKC", base)
    base = "".join(c for c in base if c.isalnum() or c in " ._-")
    base = re.sub(r"\s+", " ", base).strip()
    stem = base[:-4] if base.lower().endswith(".pdf") else base
    stem = stem.strip(" .")[:96] or "reference"
    return f"{stem}.pdf"


def extract_text(path: Path) -> Extraction:
    """The text of the PDF at ``path``, read by a bounded child process (see ``pdf_text``)."""
    command = [sys.executable, "-m", "momentum.generation.pdf_text", str(path), str(MAX_PAGES), str(MAX_CHARACTERS)]
    timed_out = False
    try:
        result = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command,
            capture_output=True,
            timeout=EXTRACTION_TIMEOUT_SECONDS,
            cwd=Path(__file__).resolve().parents[2],
            check=False,
        )
        output: bytes = result.stdout
    except subprocess.TimeoutExpired as error:  # what was read before the time ran out still counts
        output = error.output or b""
        timed_out = True
    pages: int | None = None
    texts: list[str] = []
    done = False
    truncated = timed_out
    for line in output.decode("utf-8", errors="replace").splitlines():
        try:
            event: dict[str, Any] = json.loads(line)
        except ValueError:
            continue  # a line cut short by a kill
        if "error" in event:
            if event["error"] == "encrypted":
                raise _invalid(
                    "the PDF is encrypted (password-protected); save an unprotected copy and upload that",
                    rule="encrypted",
                    code="pdf_encrypted",
                )
            raise _invalid("is not a PDF we can read")
        if "pages" in event:
            pages = int(event["pages"])
        elif "page" in event:
            texts.append(str(event["text"]))
        elif event.get("done"):
            done = True
            truncated = truncated or bool(event.get("truncated"))
    if pages is None:
        raise _invalid("is not a PDF we can read within our limits")
    return Extraction(pages=pages, page_texts=tuple(texts), truncated=truncated or not done)


def chunk_pages(page_texts: Iterable[str], *, size: int = CHUNK_CHARACTERS) -> Iterator[tuple[int, str]]:
    """(page number, passage) pairs: each page's sentences gathered into passages of about ``size``."""
    for page, raw in enumerate(page_texts, start=1):
        current = ""
        for sentence in sentences(raw):
            pieces = (
                [sentence[i : i + size] for i in range(0, len(sentence), size)] if len(sentence) > size else [sentence]
            )
            for piece in pieces:
                if current and len(current) + 1 + len(piece) > size:
                    yield page, current
                    current = piece
                else:
                    current = f"{current} {piece}".strip()
        if current:
            yield page, current


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


def do_store_reference_document(upload: Any, *, actor: Any, request: HttpRequest | None = None) -> StoredReference:
    """Check, read and keep an uploaded reference PDF with its passages; audit the upload."""
    limit = settings.MAX_REFERENCE_PDF_BYTES
    if upload.size is None or upload.size > limit:
        raise _too_large(limit)
    upload.seek(0)
    if PDF_MAGIC not in upload.read(MAGIC_WINDOW):
        raise _invalid("must be a PDF document")
    upload.seek(0)
    with _local_copy(upload) as (path, sha256, size):
        if size > limit:
            raise _too_large(limit)
        if actor is not None:
            existing = ReferenceDocument.objects.filter(uploaded_by=actor, sha256=sha256).order_by("created_at").first()
            if existing is not None:
                return StoredReference(existing, created=False, truncated=False)
        extraction = extract_text(path)
    text = extraction.text
    if not normalise(text):
        raise _invalid(
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
            "reference_document.uploaded",
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


def passages_for(documents: Iterable[ReferenceDocument | UUID | str], query: str, k: int) -> tuple[str, ...]:
    """The ``k`` passages of ``documents`` most relevant to ``query`` (BM25), best first.

    When no passage shares a term with the query, the documents' opening passages stand in:
    a document usually introduces its subject first. Deterministic: ties keep document order.
    """
    ids = [d.pk if isinstance(d, ReferenceDocument) else UUID(str(d)) for d in documents]
    if not ids or k <= 0:
        return ()
    order = {str(pk): index for index, pk in enumerate(ids)}
    chunks = sorted(
        ReferenceChunk.objects.filter(document_id__in=ids).values_list("document_id", "position", "text"),
        key=lambda row: (order.get(str(row[0]), len(order)), row[1]),
    )
    texts = [row[2] for row in chunks]
    scores = bm25_scores(texts, query)
    ranked = sorted(range(len(texts)), key=lambda i: (-scores[i], i))
    if not any(scores):
        ranked = list(range(len(texts)))
    return tuple(texts[i] for i in ranked[:k])
