"""Django's database sessions, read by plain SQL: every signed-in request loads its session, and
the ORM's query (compiled anew each time) cost more CPU than the rest of the lookup
(``lib/plain_rows.py``). Same table, same rows, same expiry rule: sessions made before this
engine read the same."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from momentum.lib.plain_rows import PlainRows

_BY_KEY = PlainRows(Session, "session_key = %s")


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        found = _BY_KEY.first([self.session_key])
        if found is None or found.expire_date <= timezone.now():  # as the ORM's expire_date__gt=now
            self._session_key = None
            return None
        return found
