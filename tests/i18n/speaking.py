"""Asking for a page or an API answer in a language, the way a browser does.

The request carries ``Accept-Language`` (what the locale middleware reads) and runs with that
language active (what a view sees when the account's own language chose it), so a test holds
whichever of the two picks the language.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation


def get_in(client: Any, language: str, path: str, **extra: Any) -> Any:
    with translation.override(language):
        return client.get(path, HTTP_ACCEPT_LANGUAGE=language, **extra)


def post_in(client: Any, language: str, path: str, data: Any = None, **extra: Any) -> Any:
    with translation.override(language):
        return client.post(path, data, HTTP_ACCEPT_LANGUAGE=language, **extra)


def text_of(response: Any) -> str:
    return str(response.content.decode())
