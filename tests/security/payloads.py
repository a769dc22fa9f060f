"""The hostile inputs the security suites send everywhere a caller can type something.

Each XSS payload sets ``window.__xss`` (or calls ``alert``) if it ever runs, so a browser test can
tell; the server-side checks look for the markup itself surviving unescaped.
"""

from __future__ import annotations

import os

from django.db import connection

SQL_INJECTION = [
    "' OR 1=1--",
    "' OR '1'='1' /*",
    '"; DROP TABLE accounts_user; --',
    "'; DROP TABLE catalog_course; --",
    "1 UNION SELECT email, password, NULL FROM accounts_user--",
    "' UNION SELECT NULL, sqlite_version()--",
    "1; SELECT pg_sleep(0)--",
    "%' AND 1=0 UNION ALL SELECT 1--",
    "\\'; --",
    "admin'--",
]

HOSTILE_TEXT = [
    "nul\x00byte",
    "x" * 100_000,  # overlong: far past every max_length
    "\u202eevil\u202c right-to-left override",
    "\U0001d54c\U0001d55f\U0001d55a unicode 🧨 ﷽ z\u0336\u0337a\u0338 \u0130\u0131 \ufeff",
    "\ud800 a lone surrogate",  # not encodable as UTF-8
    "%00%0d%0aSet-Cookie: injected=1",
    "\r\nX-Injected: 1",
    "../../../../etc/passwd",
    "{{ 7*7 }} {% debug %} ${7*7}",
]

XSS = [
    "<script>window.__xss='script'</script>",
    '"><img src=x onerror="window.__xss=\'img\'">',
    "'><svg/onload=window.__xss='svg'>",
    "<svg><script>window.__xss='svg-script'</script></svg>",
    "javascript:window.__xss='scheme'",
    "JaVaScRiPt:alert(1)",
    "<a href=\"javascript:window.__xss='href'\">click</a>",
    "[markdown link](javascript:window.__xss='md-link')",
    "![markdown image](x\" onerror=\"window.__xss='md-img')",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<iframe srcdoc=\"<script>parent.__xss='srcdoc'</script>\"></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]

ALL = SQL_INJECTION + HOSTILE_TEXT + XSS

# `make test` sweeps every input with a sample that keeps each kind of attack (boolean, stacked and
# UNION injection; NUL, overlong, lone surrogate and CRLF text; script, attribute, scheme and
# Markdown XSS), so both database passes stay within the suite's time (the PostgreSQL pass sends
# part of it: below); `make fuzz` sends them all (MOMENTUM_SECURITY_PAYLOADS=all).
SAMPLE = [
    SQL_INJECTION[0], SQL_INJECTION[2], SQL_INJECTION[4],
    HOSTILE_TEXT[0], HOSTILE_TEXT[1], HOSTILE_TEXT[4], HOSTILE_TEXT[6],
    XSS[0], XSS[1], XSS[4], XSS[7], XSS[8],
]  # fmt: skip


# The PostgreSQL + Redis pass sends the sample's injection and hostile text, which meet the
# database (its quoting, its NUL and encoding rules), and leaves out its XSS: to a database these
# are plain text, stored alike on either, and whether they come back inert is the templates' and
# the Markdown renderer's doing, checked in the SQLite pass (on PostgreSQL the two injection sweeps
# took 113 s of CPU with them, 100 s without, 2026-12-08).
DATABASE_SAMPLE = [payload for payload in SAMPLE if payload not in XSS]


def swept() -> list[str]:
    """The payloads this run sends to every input."""
    if os.environ.get("MOMENTUM_SECURITY_PAYLOADS", "").lower() == "all":
        return ALL
    return DATABASE_SAMPLE if connection.vendor == "postgresql" else SAMPLE


# What a database error leaking into an answer looks like.
DATABASE_ERROR_MARKERS = (
    "syntax error",
    "OperationalError",
    "ProgrammingError",
    "IntegrityError",
    "DataError",
    "sqlite3",
    "psycopg",
    "unrecognized token",
    "Traceback (most recent call last)",
    "django.db",
    "unterminated quoted string",
)


def leaks_database_error(text: str) -> str | None:
    lowered = text.lower()
    for marker in DATABASE_ERROR_MARKERS:
        if marker.lower() in lowered:
            return marker
    return None
