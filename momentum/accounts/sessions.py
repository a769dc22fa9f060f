"""Django's database sessions, read by plain SQL, and a session middleware that never signs a
browser out for a request that merely carried an older key.

Reading: every signed-in request loads its session, and the ORM's query (compiled anew each time)
cost more CPU than the rest of the lookup (``lib/plain_rows.py``). Same table, same rows, same
expiry rule: sessions made before this engine read the same.

The cookie: a browser sends requests side by side (its service worker checks ``/sw.js`` for an
update on every page, a second tab loads). When a sign-in replaces the session key, a request sent
with the old key and answered after the sign-in finds its session gone. Django's middleware then
answers with a deletion of the session cookie, and the browser, which by then holds the new
signed-in key, drops it: the learner is signed out a moment after signing in (the learner journey
lost its sign-in so, once in a few runs, 2026-12-07). Here a key that names no live session leaves
the cookie alone. The session is deleted where it ends: signing out, which flushes a session that
was found, still deletes the cookie. A browser whose session ended elsewhere (expired, signed out
everywhere) keeps sending its stale key until the cookie expires or a sign-in replaces it; each
such request looks it up, finds nothing and is served signed out.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from momentum.lib.plain_rows import PlainRows

_BY_KEY = PlainRows(Session, "session_key = %s")


class SessionStore(db.SessionStore):
    key_was_stale = False  # the key the request carried named no live session

    def _get_session_from_db(self) -> Any:
        found = _BY_KEY.first([self.session_key])
        if found is None or found.expire_date <= timezone.now():  # as the ORM's expire_date__gt=now
            self.key_was_stale = True
            self._session_key = None
            return None
        return found


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        session = getattr(request, "session", None)
        name = settings.SESSION_COOKIE_NAME
        if getattr(session, "key_was_stale", False) and name in response.cookies and not response.cookies[name].value:
            del response.cookies[name]  # the deletion Django answers a stale key with (above)
        return response
