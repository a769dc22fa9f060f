"""@mentions in a comment: which of a thread's participants a comment names.

A participant is named by ``@`` and their display name without spaces (``@LeeLearner``), or by
``@`` and its first word (``@Lee``) when no other participant's name starts with that word.
Case does not matter. Mentions inside code spans or blocks count as well: they are rare and cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MENTION = re.compile(r"(?<![\w@])@([\w.\-]{2,60})", re.UNICODE)


def _handles(name: str) -> tuple[str, str]:
    words = name.split()
    return "".join(words).casefold(), (words[0].casefold() if words else "")


def mentioned(text: str, participants: Iterable[Any]) -> list[Any]:
    """The participants ``text`` mentions, in the order first mentioned, each once."""
    people = [person for person in participants if (person.display_name or "").strip()]
    tokens = [match.group(1).rstrip(".-").casefold() for match in MENTION.finditer(text)]
    found: list[Any] = []
    for token in tokens:
        full = [person for person in people if _handles(person.display_name)[0] == token]
        first = [person for person in people if _handles(person.display_name)[1] == token]
        match = full[0] if len(full) == 1 else (first[0] if len(first) == 1 else None)
        if match is not None and match not in found:
            found.append(match)
    return found
