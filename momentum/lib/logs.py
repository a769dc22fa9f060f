"""Structured logging: one JSON object per line, with the request ID of the current request."""

from __future__ import annotations

import logging
import logging.config
from typing import Any

import structlog

from momentum.lib import request_context


def _add_request_context(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    for key, value in request_context.current().items():
        event.setdefault(key, value)
    return event


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
            "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
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
