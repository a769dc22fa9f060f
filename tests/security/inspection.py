"""What the security suites look at in an answer: active markup in HTML, the database's state."""

from __future__ import annotations

import functools
import hashlib
from html.parser import HTMLParser
from typing import Any

from django.apps import apps
from django.db import connection

# Rows these tables gain on a refused call are the record of the refusal, not a change it made.
RECORDS_OF_REFUSALS = {
    "audit.auditlog",  # sign-in failures and the like are audited
    "observability.metricsample",
    "analytics.learningevent",
    "analytics.activeuserday",
    "sessions.session",
    "account.emailconfirmation",
}

# Signing in (which the suites do before every request) records the time; it is not data a request changes.
NOT_STATE = {"last_login"}


class DatabaseState(dict[str, str]):
    """A digest per table of ours (and allauth's), minus RECORDS_OF_REFUSALS; == compares them all."""

    def changed_since(self, earlier: DatabaseState) -> list[str]:
        return sorted(label for label in self.keys() | earlier.keys() if self.get(label) != earlier.get(label))


# The last state taken in this test, and the count of rows written when it was taken.
_LAST: dict[str, tuple[int, DatabaseState]] = {}


def forget_database_state() -> None:
    """A new test: its transaction, and its counts, start afresh."""
    _LAST.clear()


def _rows_written() -> int | None:
    """Rows inserted, updated or deleted so far by this connection (SQLite) or by the test's
    transaction (PostgreSQL), rolled-back work included. While it stays the same no table changed,
    so the state need not be read again (a sweep reads it after every one of its thousands of requests)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return int(connection.connection.total_changes)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_all_tables")
            return int(cursor.fetchone()[0])
    return None


def database_state() -> DatabaseState:
    written = _rows_written()
    last = _LAST.get("state")
    if written is not None and last is not None and last[0] == written:
        return DatabaseState(last[1])
    state = _read_database_state()
    if written is not None:
        _LAST["state"] = (written, DatabaseState(state))
    return state


def _read_database_state() -> DatabaseState:
    """Each table's rows as the database driver returns them, in one cursor: the ORM's conversion of
    each value costs more than the reading, and a digest compared within one test needs none."""
    state = DatabaseState()
    with connection.cursor() as cursor:
        for label, select in _state_queries():
            cursor.execute(select)
            rows = sorted(repr(row) for row in cursor.fetchall())
            state[label] = hashlib.sha256("\n".join(rows).encode("utf-8", "backslashreplace")).hexdigest()
    return state


@functools.cache
def _state_queries() -> list[tuple[str, str]]:
    """SELECT of every table's state columns (of ours and allauth's, minus RECORDS_OF_REFUSALS)."""
    queries = []
    quote = connection.ops.quote_name
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in RECORDS_OF_REFUSALS or model._meta.app_label in ("contenttypes", "auth", "admin"):
            continue
        names = [f.column for f in model._meta.concrete_fields if f.column and f.attname not in NOT_STATE]
        columns = ", ".join(quote(name) for name in names)
        queries.append((label, f"SELECT {columns} FROM {quote(model._meta.db_table)}"))  # noqa: S608 (names from the models)
    return queries


class _ActiveContent(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src") and values.get("type") not in ("application/json",):
            self.found.append(f"inline <script> {attrs}")
        if tag in ("iframe", "object", "embed", "base"):
            self.found.append(f"<{tag}> {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "data", "srcdoc") and value:
                scheme = "".join(value.split()).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text/html")) or name == "srcdoc":
                    self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def active_content(html: str) -> list[str]:
    """Script, inline handlers, script URLs and frames in ``html``: none may come from stored data."""
    parser = _ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields with the values the page filled in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = {
                "method": values.get("method", "get").lower(),
                "action": values.get("action", ""),
                "enctype": values.get("enctype", ""),
                "fields": {},
                "kinds": {},
            }
            self.forms.append(self._form)
            return
        if tag == "option" and self._form is not None and self._select is not None:
            selected = "selected" in values or not self._form["fields"].get(self._select)
            if selected:
                self._form["fields"][self._select] = values.get("value", "")
            return
        if self._form is None or "name" not in values or "disabled" in values:
            return
        name = values["name"]
        fields, kinds = self._form["fields"], self._form["kinds"]
        if tag == "input":
            kind = values.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            kinds[name] = kind
            if kind in ("checkbox", "radio"):
                if "checked" in values or name not in fields:
                    fields[name] = values.get("value", "on") if "checked" in values else fields.get(name, "")
                return
            fields[name] = values.get("value", "")
        elif tag == "textarea":
            kinds[name], fields[name], self._textarea = "textarea", "", name
        elif tag == "select":
            kinds[name], fields[name], self._select = "select", "", name

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def post_forms(html: str, page_url: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    forms = [form for form in parser.forms if form["method"] == "post"]
    for form in forms:
        form["action"] = form["action"] or page_url
        for name, kind in form["kinds"].items():  # an unticked box is not sent at all
            if kind in ("checkbox", "radio") and form["fields"].get(name) == "":
                del form["fields"][name]
    return forms
