"""The header's notification bell: the unread count, asked only when a page draws the bell.

A context processor (settings.TEMPLATES) hands templates a memoised callable, so a page costs one
count on the inbox index (user, read_at, -created_at) when signed in, and nothing otherwise.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from momentum.accounts.queries import unread_count


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "unread_notifications": cache(lambda: unread_count(user)),
        "on_notifications_page": request.path == "/notifications/",
    }
