"""Structured logging: one JSON object per line, with the request ID of the current request."""

from __future__ import annotations

import logging
import logging.config
import threading
import time
from typing import Any, TextIO

import structlog

from momentum.lib import request_context


def _add_request_context(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    for key, value in request_context.current().items():
        event.setdefault(key, value)
    return event


class BufferedStreamHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A console handler that writes its lines in batches: one write (and one lock) per batch
    instead of per request line under load (issue 21).

    A line is written at once when nothing was written in the last ``interval`` seconds (so a
    quiet process logs as it goes), and at once with everything before it when it is a warning
    or worse; the others wait at most ``interval`` seconds (a flusher thread) or until
    ``capacity`` lines are waiting. Exit flushes (logging.shutdown calls flush)."""

    def __init__(self, stream: TextIO | None = None, *, capacity: int = 256, interval: float = 0.2) -> None:
        super().__init__(stream)
        self.capacity = capacity
        self.interval = interval
        self._pending: list[str] = []
        self._last_write = 0.0
        self._flusher: threading.Thread | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + self.terminator
        except Exception:
            self.handleError(record)
            return
        now = time.monotonic()
        with self.lock:  # type: ignore[union-attr]
            self._pending.append(line)
            urgent = record.levelno >= logging.WARNING or len(self._pending) >= self.capacity
            if urgent or now - self._last_write >= self.interval:
                self._write_pending(now)
            elif self._flusher is None:
                self._flusher = threading.Thread(target=self._flush_periodically, name="log-flusher", daemon=True)
                self._flusher.start()

    def _write_pending(self, now: float) -> None:
        if self._pending:
            text, self._pending = "".join(self._pending), []
            try:
                self.stream.write(text)
                self.stream.flush()
            except (OSError, ValueError):  # a closed stream at exit: lost, as StreamHandler's would be
                self._pending = []
        self._last_write = now

    def _flush_periodically(self) -> None:
        while True:
            time.sleep(self.interval)
            self.flush()

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            self._write_pending(time.monotonic())


def configure(*, level: str = "INFO", fmt: str = "json") -> None:
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        _add_request_context,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any = structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "structured": {
                    "()": structlog.stdlib.ProcessorFormatter,
                    "processors": [
                        structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                        structlog.processors.format_exc_info,
                        renderer,
                    ],
                    "foreign_pre_chain": shared,
                }
            },
            "handlers": {"console": {"class": "momentum.lib.logs.BufferedStreamHandler", "formatter": "structured"}},
            "root": {"handlers": ["console"], "level": level},
            "loggers": {
                "django.request": {"level": "ERROR"},  # our middleware logs each request once
                "django.server": {"level": "WARNING"},
                # At DEBUG it logs every unresolved template variable with the template's context:
                # emailed confirmation and password-reset keys would be written to the log.
                "django.template": {"level": "INFO"},
                "dbos": {"level": "WARNING"},
                "httpx": {"level": "WARNING"},
                "botocore": {"level": "WARNING"},
            },
        }
    )


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)
