"""A WSGI application behind the WSGI bridge, served by a real granian in test_wsgi_bridge.py.

- ``POST /echo``: the request's body length and SHA-256, as the application read it;
- ``GET /stream?chunks=N&size=S``: N chunks of S bytes (``0123456789`` repeated), then a line
  ``closed`` appended to the file named by ``BRIDGE_TEST_CLOSED`` when the server closes it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs

from momentum.lib.wsgi_bridge import WsgiBridge


class _Stream:
    def __init__(self, chunks: int, size: int) -> None:
        self.chunks, self.piece = chunks, (b"0123456789" * (size // 10 + 1))[:size]

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.chunks):
            yield self.piece

    def close(self) -> None:
        with open(os.environ["BRIDGE_TEST_CLOSED"], "a") as closed:
            closed.write("closed\n")


def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    if environ["PATH_INFO"] == "/echo":
        body = environ["wsgi.input"].read()
        answer = f"{len(body)} {hashlib.sha256(body).hexdigest()}".encode()
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(answer)))])
        return [answer]
    query = parse_qs(environ["QUERY_STRING"])
    chunks, size = int(query["chunks"][0]), int(query["size"][0])
    start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(chunks * size))])
    return _Stream(chunks, size)


application = WsgiBridge(wsgi, workers=2, body_in_memory=1024, chunk_bytes=4096)
