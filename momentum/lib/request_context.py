"""The request ID (and who asked) for the code running now, carried into background work."""

from __future__ import annotations

import contextvars
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

_context: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar("momentum_request", default={})  # noqa: B039
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def clean_request_id(candidate: str | None) -> str:
    """Echo a client's X-Request-ID when it is safe to log; otherwise make one."""
    if candidate and _VALID_ID.match(candidate):
        return candidate
    return new_request_id()


def current() -> dict[str, str]:
    return _context.get()


def current_request_id() -> str | None:
    return _context.get().get("request_id")


def bind(**values: str) -> None:
    _context.set({**_context.get(), **values})


@contextmanager
def bound(**values: str) -> Iterator[None]:
    token = _context.set({**_context.get(), **{k: v for k, v in values.items() if v}})
    try:
        yield
    finally:
        _context.reset(token)
