"""Anonymous catalogue reads from memory (ADR 0022): served before the stack, with ETag/304 and
the right Vary, keyed by the negotiated language, never to a signed-in caller, and a change to a
course is what the next anonymous read shows (on PostgreSQL: across connections, by NOTIFY).
Pages too (the catalogue, a course, a certificate's verify page): each visitor's copy holds a
CSRF token of their own, and a revoked certificate, a renamed learner or site show at once."""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from momentum.accounts.models import User
from momentum.catalog.models import Course
from momentum.credentials.actions import do_revoke_credential
from momentum.platform import anonymous_cache
from momentum.sitesettings.models import SiteSettings
from tests.factories import make_certificate, make_course, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings: Any) -> Iterator[Any]:
    settings.ANONYMOUS_CACHE = True
    yield settings
    anonymous_cache.stop_listeners()  # its connection would keep the test database from being dropped


def _titles(response: Any) -> set[str]:
    return {item["title"] for item in response.json()["items"]}


def _table() -> anonymous_cache.Table:
    return anonymous_cache._tables[-1]


def _wait_for_newer_revision(before: int | None) -> None:
    """PostgreSQL: until the listener has heard of a revision after ``before`` (bounded, no sleep)."""
    if connection.vendor == "postgresql" and settings.ANONYMOUS_CACHE:
        heard = anonymous_cache.listener().wait_for(lambda now: now is not None and now != before, timeout=10)
        assert heard, "no NOTIFY reached the listener"


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_second_anonymous_read_is_answered_without_the_view_and_a_change_shows_at_once(api: Any, cached: Any) -> None:
    course = make_course("Sleep better")
    first = api.get("/courses")
    with CaptureQueriesContext(connection) as queries:
        second = api.get("/courses")

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert len(queries) == 0  # the revision row is read on the raw connection: no ORM query at all
    Course.objects.filter(pk=course.pk).update(title="Sleep much better")
    assert _titles(api.get("/courses")) == {"Sleep much better"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_on_postgresql_a_commit_by_another_connection_is_announced_and_the_next_read_shows_it(
    api: Any, cached: Any
) -> None:
    course = make_course("Sleep better")
    listening = anonymous_cache.listener()
    _wait_for_newer_revision(None)
    assert _titles(api.get("/courses")) == {"Sleep better"}
    before = listening.current
    with CaptureQueriesContext(connection) as queries:
        assert _titles(api.get("/courses")) == {"Sleep better"}
    assert len(queries) == 0  # from memory: not even the revision is asked

    # another connection (as another web process or a worker would) changes the course and commits
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432, password=db["PASSWORD"] or None
    ) as other:
        other.execute("UPDATE catalog_course SET title = 'Sleep much better' WHERE id = %s", [course.pk])
    _wait_for_newer_revision(before)

    assert _titles(api.get("/courses")) == {"Sleep much better"}


class _HeldListener(anonymous_cache.RevisionListener):
    """A listener whose thread waits at ``held`` (``where``: before it looks at its socket, or
    after it has read a notification and before it applies it): the thread waiting its turn for
    the interpreter while the process answers requests."""

    def __init__(self, where: str) -> None:
        super().__init__(anonymous_cache._conninfo(), catch_up_seconds=0.0)
        self.where = where
        self.held = threading.Event()
        self.held.set()
        self.parked = threading.Event()

    def _wait_readable(self, socket: int) -> bool:
        if self.where == "before reading" and not self.held.is_set():
            self.parked.set()
            self.held.wait()
        return super()._wait_readable(socket)

    def _apply(self, conn: Any, revisions: dict[str, int]) -> dict[str, int]:
        read = super()._apply(conn, revisions)
        if self.where == "before applying" and self.connected:
            self.held.wait()
        return read


def _announce(revision: int) -> None:
    """Another connection commits a move of a cache scope, as a writing process's trigger would."""
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432, password=db["PASSWORD"] or None
    ) as other:
        other.execute(f"NOTIFY {anonymous_cache.CHANNEL}, 'listener-test:{revision}'")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.parametrize("where", ["before reading", "before applying"])
def test_on_postgresql_a_read_never_answers_an_older_revision_than_the_process_has_been_told(where: str) -> None:
    """Two web processes: a course renamed through one and read at once through the other shows
    the new title even if the other's listening thread has not yet had its turn."""
    listening = _HeldListener(where).start()
    try:
        assert listening.wait_for(lambda now: now is not None, timeout=10), "the listener did not connect"
        scope = ("listener-test",)
        before = listening.revisions(scope)
        listening.held.clear()
        if where == "before reading":  # the thread, woken by a first notification, stops before its socket
            _announce(3)
            assert listening.parked.wait(timeout=10)

        _announce(7)
        if where == "before reading":  # the notification has reached the process's socket
            assert anonymous_cache._readable(listening._socket or -1, timeout_ms=10_000)
        else:  # the thread has read it and not applied it
            with listening.changed:
                assert listening.changed.wait_for(lambda: listening._applying, timeout=10)

        assert before == (0,)
        assert listening.revisions(scope) is None  # not (0,): the caller reads the database instead
        listening.held.set()
        listening.catch_up_seconds = 10.0
        assert listening.revisions(scope) == (7,)
    finally:
        listening.held.set()
        listening.stop()


def test_answers_carry_an_etag_and_a_matching_if_none_match_is_a_304_without_a_body(api: Any, cached: Any) -> None:
    make_course("Sleep better")
    first = api.get("/courses")
    etag = first["ETag"]

    again = api.get("/courses", HTTP_IF_NONE_MATCH=etag)
    other = api.get("/courses", HTTP_IF_NONE_MATCH='"something-else"')

    assert etag.startswith('"')
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert other.status_code == 200
    assert other["ETag"] == etag


def test_vary_names_what_the_key_depends_on(api: Any, cached: Any) -> None:
    make_course("Sleep better")
    for response in (api.get("/courses"), api.get("/courses")):
        vary = {part.strip().lower() for part in response["Vary"].split(",")}
        assert {"accept-language", "authorization", "cookie"} <= vary


def test_the_negotiated_language_is_part_of_the_key(api: Any, cached: Any, settings: Any) -> None:
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]
    settings.LANGUAGE_CODE = "en"
    anonymous_cache._language.cache_clear()
    make_course("Sleep better")
    _wait_for_newer_revision(None)  # PostgreSQL: the listener knows the revision, so answers are stored

    api.get("/courses", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    api.get("/courses", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    api.get("/courses", HTTP_ACCEPT_LANGUAGE="de")  # not offered: the default language's entry

    languages = sorted(key[4] for key in _table()._entries)
    anonymous_cache._language.cache_clear()
    assert languages == ["en", "fr"]


def _poison_every_entry() -> None:
    """Replace each stored body with a marker: whoever is answered from memory gets the marker."""
    table = _table()
    for key, entry in list(table._entries.items()):
        table._entries[key] = dataclasses.replace(entry, body=b'{"items": [{"title": "from memory"}]}')


def test_a_signed_in_caller_never_gets_the_anonymous_body(api: Any, api_as: Any, admin: User, cached: Any) -> None:
    make_course("Sleep better")
    api.get("/courses")
    _wait_for_newer_revision(None)
    api.get("/courses")
    _poison_every_entry()

    anonymous = _titles(api.get("/courses"))
    as_admin = _titles(api_as(admin).get("/courses"))

    assert anonymous == {"from memory"}
    assert as_admin == {"Sleep better"}


def test_a_session_cookie_goes_through_the_whole_stack(client: Any, api: Any, admin: User, cached: Any) -> None:
    make_course("Sleep better")
    api.get("/courses")
    api.get("/courses")
    _poison_every_entry()
    client.force_login(admin)

    titles = {item["title"] for item in client.get("/api/v1/courses").json()["items"]}

    assert titles == {"Sleep better"}


def test_off_it_stores_nothing(api: Any, settings: Any) -> None:
    settings.ANONYMOUS_CACHE = False
    make_course("Sleep better")
    api.get("/courses")
    api.get("/courses")
    assert all(len(table) == 0 for table in anonymous_cache._tables)


def _csrf_token_of(html: str) -> str:
    match = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_course_page_read_again_is_answered_from_memory_with_each_visitors_own_csrf_token(cached: Any) -> None:
    course = make_course("Sleep better")
    browser = Client(enforce_csrf_checks=True)  # one handler (as one web process): two visitors' cookies
    browser.get(f"/courses/{course.slug}/")
    first_cookies = browser.cookies

    with CaptureQueriesContext(connection) as queries:
        html = browser.get(f"/courses/{course.slug}/").content.decode()
        browser.cookies = type(first_cookies)()
        other_html = browser.get(f"/courses/{course.slug}/").content.decode()
    second_cookies = browser.cookies

    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]  # neither read reached the view
    assert "Sleep better" in html
    assert anonymous_cache.CSRF_PLACEHOLDER not in html + other_html
    name = settings.CSRF_COOKIE_NAME
    assert second_cookies[name].value != first_cookies[name].value
    # each visitor's token is good for their own POSTs (the page's language switcher), not another's
    for cookies, page in ((first_cookies, html), (second_cookies, other_html)):
        browser.cookies = cookies
        switched = browser.post("/language/", {"language": "es", "next": "/"}, HTTP_X_CSRFTOKEN=_csrf_token_of(page))
        assert switched.status_code == 302
    browser.cookies = first_cookies
    assert (
        browser.post("/language/", {"language": "es"}, HTTP_X_CSRFTOKEN=_csrf_token_of(other_html)).status_code == 403
    )


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_conditional_read_of_a_page_is_a_304_only_for_a_visitor_whose_token_still_holds(cached: Any) -> None:
    course = make_course("Sleep better")
    browser = Client()
    etag = browser.get(f"/courses/{course.slug}/")["ETag"]

    assert browser.get(f"/courses/{course.slug}/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    browser.cookies.clear()  # a newcomer with no CSRF cookie gets the full page, and a cookie
    newcomer = browser.get(f"/courses/{course.slug}/", HTTP_IF_NONE_MATCH=etag)
    assert newcomer.status_code == 200
    assert settings.CSRF_COOKIE_NAME in newcomer.cookies


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_visitor_who_answered_the_cookie_notice_is_not_asked_again_from_memory(cached: Any, settings: Any) -> None:
    settings.CONSENT_OPTIONAL_COOKIES = {"momentum_theme": "remembers the theme you chose"}
    visitor = Client()
    asked = visitor.get("/courses/").content.decode()
    visitor.cookies[settings.CONSENT_COOKIE_NAME] = "essential"
    answered = visitor.get("/courses/").content.decode()

    assert 'id="cookie-notice"' in asked
    assert 'id="cookie-notice"' not in answered


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_revoked_certificate_a_renamed_learner_and_a_renamed_site_show_at_the_next_read(
    cached: Any, admin: User
) -> None:
    learner = make_user("lee@example.com", display_name="Lee Learner")
    certificate = make_certificate(learner, make_course("Sleep better"))
    page = f"/certificates/{certificate.id}/"
    visitor = Client()
    assert "Valid" in visitor.get(page).content.decode()
    with CaptureQueriesContext(connection) as queries:
        visitor.get(page)
    assert len(queries) == 0

    User.objects.filter(pk=learner.pk).update(display_name="Lee Q. Learner")
    assert "Lee Q. Learner" in visitor.get(page).content.decode()
    SiteSettings.objects.update_or_create(id=1, defaults={"site_name": "Bakery School"})
    cache.clear()  # the site's name is also kept a minute in the shared cache
    assert "Bakery School" in visitor.get(page).content.decode()
    do_revoke_credential(certificate, reason="Issued by mistake", actor=admin)
    assert "REVOKED" in visitor.get(page).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_on_postgresql_a_revocation_committed_elsewhere_reaches_the_verify_page_of_every_process(
    cached: Any, admin: User
) -> None:
    certificate = make_certificate(make_user("lee@example.com", display_name="Lee Learner"), make_course())
    page = f"/certificates/{certificate.id}/"
    listening = anonymous_cache.listener()
    _wait_for_newer_revision(None)
    visitor = Client()
    visitor.get(page)
    with CaptureQueriesContext(connection) as queries:
        assert "Valid" in visitor.get(page).content.decode()
    assert len(queries) == 0
    before = listening.revisions(("credentials",))

    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432, password=db["PASSWORD"] or None
    ) as other:
        other.execute(
            "UPDATE credentials_credential SET revoked_at = now(), revoke_reason = 'Issued by mistake', "
            "revoked_by_id = %s WHERE id = %s",
            [admin.pk, certificate.pk],
        )
    heard = listening.changed
    with heard:
        assert heard.wait_for(lambda: listening.revisions(("credentials",)) != before, timeout=10)

    assert "REVOKED" in visitor.get(page).content.decode()
