"""Reading a reference PDF within bounds, and cutting its text into passages (see the package)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from momentum.lib.problems import Problem, file_too_large
from momentum.lib.terms import sentences

MAX_PAGES = 300
MAX_CHARACTERS = 500_000
EXTRACTION_TIMEOUT_SECONDS = 90
CHUNK_CHARACTERS = 1000


@dataclass(frozen=True)
class Extraction:
    pages: int  # the document's page count
    page_texts: tuple[str, ...]  # the text of the pages read (at most MAX_PAGES), in order
    truncated: bool  # a limit stopped the reading before the end

    @property
    def text(self) -> str:
        return "\n\n".join(t for t in self.page_texts if t)


def invalid_upload(message: str, *, rule: str = "media_type", code: str = "unsupported_media") -> Problem:
    return Problem(422, code, f"file: {message}", errors=[{"field": "file", "message": message, "rule": rule}])


def too_large(limit: int) -> Problem:
    return file_too_large("file", limit, "the PDF")


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
    command = [
        sys.executable,
        "-m",
        "momentum.generation.references.pdf_text",
        str(path),
        str(MAX_PAGES),
        str(MAX_CHARACTERS),
    ]
    timed_out = False
    try:
        result = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command,
            capture_output=True,
            timeout=EXTRACTION_TIMEOUT_SECONDS,
            cwd=Path(__file__).resolve().parents[3],
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
                raise invalid_upload(
                    "the PDF is encrypted (password-protected); save an unprotected copy and upload that",
                    rule="encrypted",
                    code="pdf_encrypted",
                )
            raise invalid_upload("is not a PDF we can read")
        if "pages" in event:
            pages = int(event["pages"])
        elif "page" in event:
            texts.append(str(event["text"]))
        elif event.get("done"):
            done = True
            truncated = truncated or bool(event.get("truncated"))
    if pages is None:
        raise invalid_upload("is not a PDF we can read within our limits")
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
