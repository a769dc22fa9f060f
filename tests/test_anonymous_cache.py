"""Anonymous catalogue reads from memory (ADR 0022): served before the stack, with ETag/304 and
the right Vary, keyed by the negotiated language, never to a signed-in caller, and a change to a
course is what the next anonymous read shows (on PostgreSQL: across connections, by NOTIFY)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from momentum.accounts.models import User
from momentum.catalog.models import Course
from momentum.platform import anonymous_cache
from tests.factories import make_course

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
