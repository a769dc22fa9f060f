"""A WSGI application served through ASGI on a thread pool, with one hop between threads per request.

a2wsgi's ``WSGIMiddleware`` hands every message between the request's thread and the event loop
through ``asyncio.run_coroutine_threadsafe``, each a round trip that blocks the thread until the
loop has run: one to start the response, one per body chunk, one to end it, one per read of the
request's body. On a trivial Django view behind granian (one process, 64 connections, CPU time of
the process per request; bench/results/2026-12-07-wsgi-bridge.md) that cost 0.63 ms, where this
bridge costs 0.27 ms and granian's native WSGI interface 0.15 ms. The native interface cannot serve
the async event streams nor answer a sign-in beyond its bound before it queues for a thread
(momentum/asgi.py), so the project keeps ASGI and this bridge (docs/adr/0025).

A request runs as follows:

- A small body (``Content-Length`` up to ``body_in_memory``) is read on the event loop before the
  application runs; any other is read from the thread as the application asks for it, through
  a2wsgi's ``Body``, so that a size limit in the application can refuse it unread.
- The application runs on the pool and its response is iterated there until ``chunk_bytes`` have
  been gathered or it ends. A response that ends there (every ordinary Django response: one
  chunk) is sent whole, with nothing more asked of the thread.
- A longer response (a file, a media stream) is sent as it comes: each further batch of
  ``chunk_bytes`` is gathered on the pool, so its reads never block the loop. The iterable is
  closed on the pool when it ends or when the client has gone.
"""

from __future__ import annotations

import asyncio
import contextvars
import io
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from a2wsgi.wsgi import Body, build_environ

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Receive = Callable[[], Any]
Send = Callable[[dict[str, Any]], Any]


@dataclass
class _Answer:
    """What the thread hands to the loop: the response's start, its first bytes, and what is left."""

    status: int = 500
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    rest: Iterator[bytes] | None = None
    iterable: Iterable[bytes] | None = None


def _gather(iterator: Iterator[bytes], into: list[bytes], limit: int) -> bool:
    """Move chunks from ``iterator`` into ``into`` until ``limit`` bytes; True when it has ended."""
    size = sum(len(chunk) for chunk in into)
    for chunk in iterator:
        if chunk:
            into.append(chunk)
            size += len(chunk)
        if size >= limit:
            return False
    return True


def _close(iterable: Iterable[bytes] | None) -> None:
    close = getattr(iterable, "close", None)
    if close is not None:
        close()


class WsgiBridge:
    """Serve ``app`` (WSGI) as an ASGI application; ``workers`` threads run it."""

    def __init__(self, app: WsgiApp, *, workers: int, body_in_memory: int = 64 * 1024,
                 chunk_bytes: int = 64 * 1024) -> None:  # fmt: skip
        self.app = app
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="WSGI")
        self.body_in_memory = body_in_memory
        self.chunk_bytes = chunk_bytes

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"the WSGI bridge serves HTTP, not {scope['type']!r}")
        loop = asyncio.get_running_loop()
        body = await self._body(scope, receive, loop)
        if body is None:
            return  # the client left before its body arrived: nothing to answer
        environ: dict[str, Any] = dict(build_environ(scope, body))  # type: ignore[arg-type]
        context = contextvars.copy_context()
        answer = await loop.run_in_executor(self.executor, context.run, self._respond, environ)
        await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
        if answer.rest is None:
            await send({"type": "http.response.body", "body": b"".join(answer.chunks)})
            return
        try:
            await self._stream(answer.rest, answer.chunks, send, loop)
        finally:
            await loop.run_in_executor(self.executor, _close, answer.iterable)

    async def _body(self, scope: dict[str, Any], receive: Receive, loop: asyncio.AbstractEventLoop) -> Any:
        """The request's body as ``wsgi.input``: read now when declared and small, else on demand
        (a GET, which declares none, never asks; granian does not pass on ``Transfer-Encoding``)."""
        declared = next((value for name, value in scope.get("headers", ()) if name == b"content-length"), None)
        if declared is None or not declared.isdigit() or int(declared) > self.body_in_memory:

            async def receive_coroutine() -> Any:
                # Body reads through asyncio.run_coroutine_threadsafe, which takes only a
                # coroutine; a server's receive may return another awaitable (granian's does).
                return await receive()

            return Body(loop, receive_coroutine)
        data = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            data += message.get("body", b"")
            if not message.get("more_body", False):
                return io.BytesIO(bytes(data))

    def _respond(self, environ: dict[str, Any]) -> _Answer:
        """On the pool: run the application and gather its response's first ``chunk_bytes``."""
        answer = _Answer()

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            # Nothing has been sent before the application returns, so a second call (with
            # exc_info, after an error) simply replaces the first (PEP 3333).
            answer.status = int(status.split(" ", 1)[0])
            answer.headers = [(name.strip().lower().encode("latin-1"), value.strip().encode("latin-1"))
                              for name, value in headers]  # fmt: skip
            return answer.chunks.append

        iterable = self.app(environ, start_response)
        try:
            iterator = iter(iterable)
            if _gather(iterator, answer.chunks, self.chunk_bytes):
                _close(iterable)
                return answer
        except BaseException:
            _close(iterable)
            raise
        answer.rest, answer.iterable = iterator, iterable
        return answer

    async def _stream(self, rest: Iterator[bytes], chunks: list[bytes], send: Send,
                      loop: asyncio.AbstractEventLoop) -> None:  # fmt: skip
        """Send what was gathered, then each further batch as the pool gathers it."""
        ended = False
        while not ended:
            await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": True})
            chunks = []
            ended = await loop.run_in_executor(self.executor, _gather, rest, chunks, self.chunk_bytes)
        await send({"type": "http.response.body", "body": b"".join(chunks)})
