"""Text extraction from an untrusted PDF, run in a child process with hard limits.

A PDF can be built to hurt its reader: a stream that inflates to gigabytes, ten thousand pages,
a content stream that takes minutes to interpret. So the parent (``momentum.generation.references.extraction``)
runs this module as ``python -m momentum.generation.references.pdf_text FILE MAX_PAGES MAX_CHARACTERS`` with a
wall-clock timeout, and the module caps its own address space and CPU time before opening the
file. It reads at most MAX_PAGES pages and MAX_CHARACTERS characters, and writes one JSON line
per event to stdout as it goes, so what was read before a limit struck is not lost:

    {"pages": 120}                    the page count (first line)
    {"page": 1, "text": "..."}        one line per page read
    {"done": true, "truncated": false}
    {"error": "encrypted" | "unreadable", "detail": "..."}   instead, when the file cannot be read

It imports nothing from Django, so it starts fast.
"""

from __future__ import annotations

import json
import sys
from typing import Any

MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024  # address space: enough for pypdf, not for a bomb
CPU_LIMIT_SECONDS = 60
STREAM_LIMIT_BYTES = 20 * 1024 * 1024  # one decoded stream (a page's content, an object stream)
PAGE_CHARACTER_LIMIT = 50_000


def _limit_resources() -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: the parent's timeout still bounds us
        return
    for limit, value in ((resource.RLIMIT_AS, MEMORY_LIMIT_BYTES), (resource.RLIMIT_CPU, CPU_LIMIT_SECONDS)):
        _soft, hard = resource.getrlimit(limit)
        if hard == resource.RLIM_INFINITY or hard > value:
            resource.setrlimit(limit, (value, hard if hard != resource.RLIM_INFINITY else value))


def _emit(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def extract(path: str, max_pages: int, max_characters: int) -> None:
    import pypdf
    import pypdf.filters

    for name in (
        "ZLIB_MAX_OUTPUT_LENGTH",
        "LZW_MAX_OUTPUT_LENGTH",
        "RUN_LENGTH_MAX_OUTPUT_LENGTH",
        "MAX_DECLARED_STREAM_LENGTH",
        "MAX_ARRAY_BASED_STREAM_OUTPUT_LENGTH",
        "JBIG2_MAX_OUTPUT_LENGTH",
    ):
        if hasattr(pypdf.filters, name):
            setattr(pypdf.filters, name, STREAM_LIMIT_BYTES)
    try:
        reader = pypdf.PdfReader(path, strict=False)
        if reader.is_encrypted:
            _emit({"error": "encrypted", "detail": "the PDF is encrypted"})
            return
        total = len(reader.pages)
    except Exception as error:
        _emit({"error": "unreadable", "detail": f"{type(error).__name__}: {error}"[:300]})
        return
    _emit({"pages": total})
    characters = 0
    truncated = total > max_pages
    for number in range(min(total, max_pages)):
        try:
            text = reader.pages[number].extract_text() or ""
        except Exception:
            text = ""
            truncated = True
        text = text.replace("\x00", "")[:PAGE_CHARACTER_LIMIT]
        if characters + len(text) >= max_characters:
            text = text[: max_characters - characters]
            truncated = True
        characters += len(text)
        _emit({"page": number + 1, "text": text})
        if characters >= max_characters:
            break
    _emit({"done": True, "truncated": truncated})


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        sys.stderr.write("usage: python -m momentum.generation.references.pdf_text FILE MAX_PAGES MAX_CHARACTERS\n")
        return 2
    _limit_resources()
    extract(argv[0], int(argv[1]), int(argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
