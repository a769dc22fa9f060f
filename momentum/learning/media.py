"""Serving lesson videos: access-checked, with HTTP Range requests so players can seek.

Local storage streams the requested byte range (206 Partial Content); S3-compatible storage
answers with a redirect to a short-lived presigned URL, and the object store serves the ranges.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from typing import IO, Any

from django.core.files.storage import FileSystemStorage
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, StreamingHttpResponse

PRESIGNED_URL_SECONDS = 300
CHUNK_BYTES = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) of a single ``Range: bytes=...`` header; None to send the whole file
    (absent, malformed or multi-range: the server may ignore them); False when unsatisfiable."""
    match = _RANGE.match(header.strip()) if header else None
    if match is None:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # the last N bytes
        length = int(last_text)
        if length == 0:
            return False
        return max(size - length, 0), size - 1
    first = int(first_text)
    last = min(int(last_text), size - 1) if last_text else size - 1
    if first >= size or last < first:
        return False
    return first, last


def _chunks(handle: IO[bytes], first: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(first)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def serve(request: HttpRequest, field_file: Any) -> HttpResponseBase:
    """The stored file of ``field_file`` (a FieldFile), honouring Range and If-Range."""
    storage, name = field_file.storage, field_file.name
    if not isinstance(storage, FileSystemStorage):
        return HttpResponseRedirect(storage.url(name, expire=PRESIGNED_URL_SECONDS))
    size = storage.size(name)
    modified = storage.get_modified_time(name)
    etag = f'"{size:x}-{int(modified.timestamp()):x}"'
    wanted = byte_range(request.headers.get("Range", ""), size)
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range != etag:
        wanted = None  # the file changed since the client's first part: send all of it
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = wanted if isinstance(wanted, tuple) else (0, size - 1)
    length = max(last - first + 1, 0)
    body: Any = iter(()) if request.method == "HEAD" else _chunks(storage.open(name, "rb"), first, length)
    streamed = StreamingHttpResponse(body, content_type=content_type, status=206 if wanted else 200)
    if wanted:
        streamed["Content-Range"] = f"bytes {first}-{last}/{size}"
    streamed["Content-Length"] = str(length)
    streamed["Accept-Ranges"] = "bytes"
    streamed["ETag"] = etag
    streamed["Cache-Control"] = "private, max-age=3600"
    return streamed
