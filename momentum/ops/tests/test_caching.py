"""The caching layer: repeated reads come from the cache, and every write shows on the next read."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection, router
from django.test.utils import CaptureQueriesContext

from momentum.accounts.models import User
from momentum.catalog.models import Course
from momentum.catalog.queries import course_and_lessons_or_404
from momentum.learning.actions import do_enroll
from momentum.observability import metrics
from momentum.platform import anonymous_cache, caching
from momentum.platform.models import CacheRevision
from tests.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _region_layer_alone(settings: Any) -> None:
    """These tests are about the revision-keyed regions: the anonymous memory cache in front of
    them (ADR 0022, tests/test_anonymous_cache.py) would answer before they are asked, and the
    shared regions' memory tier (below) without the revision lookup these tests count."""
    settings.ANONYMOUS_CACHE = False
    settings.REGIONS_IN_MEMORY = False


def queries_of(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def lookups(region: str, result: str) -> float:
    return float(metrics.CACHE_LOOKUPS.labels(region, result)._value.get())


def test_a_repeated_catalogue_read_costs_one_revision_lookup(api: Any) -> None:
    make_course("Sleep better")
    first = api.get("/courses")

    again = queries_of(lambda: api.get("/courses"))

    assert again == 1
    assert api.get("/courses").content == first.content


def test_course_details_and_categories_are_cached_as_well(api: Any) -> None:
    course = make_course("Sleep better")
    api.get(f"/courses/{course.slug}")
    api.get("/categories")

    assert queries_of(lambda: api.get(f"/courses/{course.slug}")) == 1
    assert queries_of(lambda: api.get("/categories")) == 1


def test_hits_and_misses_are_counted_per_region(api: Any) -> None:
    make_course("Sleep better")
    hits, misses = lookups("catalogue", "hit"), lookups("catalogue", "miss")

    api.get("/courses?sort=title")
    api.get("/courses?sort=title")

    assert lookups("catalogue", "miss") == misses + 1
    assert lookups("catalogue", "hit") == hits + 1


ADMIN_WRITES: dict[str, tuple[Callable[[Any, Course], Any], Callable[[dict[str, Any], dict[str, Any]], bool]]] = {
    "renaming a course": (
        lambda admin_api, course: admin_api.patch(f"/courses/{course.slug}", {"title": "Sleep deeper"}),
        lambda listed, detail: listed["items"][0]["title"] == detail["title"] == "Sleep deeper",
    ),
    "making a lesson longer": (
        lambda admin_api, course: admin_api.patch(
            f"/courses/{course.slug}/lessons/{course.lessons.get(day=1).pk}", {"duration_minutes": 25}
        ),
        lambda listed, detail: detail["lessons"][0]["duration_minutes"] == 25,
    ),
    "editing a lesson's title": (
        lambda admin_api, course: admin_api.patch(
            f"/courses/{course.slug}/lessons/{course.lessons.get(day=2).pk}", {"title": "Wind down"}
        ),
        lambda listed, detail: detail["lessons"][1]["title"] == "Wind down",
    ),
    "archiving the course": (
        lambda admin_api, course: admin_api.post(f"/courses/{course.slug}/archive"),
        lambda listed, detail: listed["count"] == 0 and detail.get("code") == "not_found",
    ),
}


@pytest.mark.parametrize("write", ADMIN_WRITES, ids=list(ADMIN_WRITES))
def test_every_admin_write_shows_on_the_next_anonymous_read(write: str, api: Any, api_as: Any, admin: User) -> None:
    course = make_course("Sleep better")
    api.get("/courses"), api.get(f"/courses/{course.slug}")  # now cached
    change, holds = ADMIN_WRITES[write]

    response = change(api_as(admin), course)

    assert response.status_code in (200, 204), response.content
    assert holds(api.get("/courses").json(), api.get(f"/courses/{course.slug}").json())


def test_a_write_by_any_writer_shows_on_the_next_read(api: Any) -> None:
    course = make_course("Sleep better")
    api.get(f"/courses/{course.slug}")

    with connection.cursor() as cursor:  # not the ORM, not an action: an operator's SQL
        cursor.execute("UPDATE catalog_course SET title = %s WHERE id = %s", ["Sleep at noon", course.pk])

    assert api.get(f"/courses/{course.slug}").json()["title"] == "Sleep at noon"


def test_an_enrolment_shows_in_the_course_counts_at_once(api: Any, learner: User) -> None:
    course = make_course("Sleep better")
    assert api.get(f"/courses/{course.slug}").json()["enrollment_count"] == 0

    do_enroll(learner, course)

    assert api.get(f"/courses/{course.slug}").json()["enrollment_count"] == 1
    assert api.get("/courses").json()["items"][0]["enrollment_count"] == 1


def test_a_learners_progress_shows_in_their_stats_at_once(api_as: Any, learner: User) -> None:
    course = make_course("Sleep better")
    do_enroll(learner, course)
    me = api_as(learner)
    assert me.get("/me/stats").json()["lessons_completed"] == 0
    assert queries_of(lambda: me.get("/me/stats")) <= 3  # the token's user and the revisions

    me.put(f"/courses/{course.slug}/lessons/{course.lessons.get(day=1).pk}/progress", {"completed": True})

    assert me.get("/me/stats").json()["lessons_completed"] == 1


def test_one_learners_progress_leaves_the_others_cached(api_as: Any, learner: User, stranger: User) -> None:
    course = make_course("Sleep better")
    do_enroll(learner, course)
    do_enroll(stranger, course)
    other = api_as(stranger)
    other.get("/me/stats")
    key_before = caching.LEARNER.key_for("stats", stranger.pk)

    api_as(learner).put(f"/courses/{course.slug}/lessons/{course.lessons.get(day=1).pk}/progress", {"completed": True})

    assert caching.LEARNER.key_for("stats", stranger.pk) == key_before


class BrokenCache:
    def get(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")

    def set(self, *args: Any, **kwargs: Any) -> None:
        raise ConnectionError("cache down")


def test_a_cache_that_fails_is_skipped(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    make_course("Sleep better")
    monkeypatch.setattr(caching, "cache", BrokenCache())

    response = api.get("/courses")

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_admins_read_the_catalogue_uncached(api_as: Any, admin: User) -> None:
    make_course("A draft", status="DRAFT")
    admin_api = api_as(admin)
    admin_api.get("/courses?status=DRAFT")

    assert admin_api.get("/courses?status=DRAFT").json()["count"] == 1
    assert queries_of(lambda: admin_api.get("/courses?status=DRAFT")) > 1


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (the PostgreSQL + Redis pass)")
def test_every_request_context_shares_one_redis_connection_pool() -> None:
    def client_of_a_new_request() -> int:  # each request runs in a fresh context: a new backend
        return id(caches.create_connection("default")._cache.get_client())  # type: ignore[attr-defined]

    clients = {contextvars.Context().run(client_of_a_new_request) for _ in range(3)}

    assert len(clients) == 1


# --- The shared regions' memory tier -------------------------------------------------------------


@pytest.fixture
def in_memory(settings: Any) -> Iterator[Any]:
    settings.REGIONS_IN_MEMORY = True
    yield settings
    anonymous_cache.stop_listeners()  # its connection would keep the test database from being dropped


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_course_read_again_comes_from_memory_with_no_query_and_a_change_shows_at_once(
    learner: User, in_memory: Any
) -> None:
    course = make_course("Sleep better")
    first, lessons = course_and_lessons_or_404(learner, course.slug)
    hits = lookups("catalogue", "hit")

    with CaptureQueriesContext(connection) as queries:
        again, _ = course_and_lessons_or_404(learner, course.slug)

    assert again is first  # not unpickled from the cache again
    assert len(queries) == 0  # the revision row is read on the raw connection
    assert lookups("catalogue", "hit") == hits + 1
    with connection.cursor() as cursor:  # any writer: the trigger moves the revision
        cursor.execute("UPDATE catalog_lesson SET title = %s WHERE id = %s", ["Wind down", lessons[0].pk])
    assert course_and_lessons_or_404(learner, course.slug)[1][0].title == "Wind down"


def test_a_learners_own_region_is_never_kept_in_memory(api_as: Any, learner: User, in_memory: Any) -> None:
    course = make_course("Sleep better")
    do_enroll(learner, course)
    me = api_as(learner)
    me.get("/me/stats")
    me.get("/me/stats")

    assert all(region != "learner" for region, _key in caching.MEMORY._entries)


def test_with_reads_on_a_replica_nothing_is_kept_in_memory(
    learner: User, in_memory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replica may lag the revision the primary announced: an entry built from it could hold
    the old rows under the new revision."""
    course = make_course("Sleep better")
    routed = router.db_for_read
    monkeypatch.setattr(  # the revisions as the router would read them: on the replica
        router, "db_for_read", lambda model, **hints: "replica" if model is CacheRevision else routed(model)
    )
    monkeypatch.setattr(caching, "revisions", lambda scopes: "0")  # no replica database here

    course_and_lessons_or_404(learner, course.slug)

    assert len(caching.MEMORY) == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_on_postgresql_a_commit_by_another_connection_reaches_the_memory_tier_by_notify(
    learner: User, in_memory: Any
) -> None:
    course = make_course("Sleep better")
    listening = anonymous_cache.listener()
    assert listening.wait_for(lambda now: now is not None, timeout=10), "the listener did not connect"
    first, _ = course_and_lessons_or_404(learner, course.slug)
    assert listening.wait_for(lambda now: course_and_lessons_or_404(learner, course.slug)[0] is first, timeout=10)
    before = listening.current

    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432, password=db["PASSWORD"] or None
    ) as other:
        other.execute("UPDATE catalog_course SET title = 'Sleep much better' WHERE id = %s", [course.pk])
    assert listening.wait_for(lambda now: now != before, timeout=10), "no NOTIFY reached the listener"

    assert course_and_lessons_or_404(learner, course.slug)[0].title == "Sleep much better"


def test_the_memory_tier_keeps_what_fits_its_size_and_drops_the_least_recently_used() -> None:
    tier = caching.MemoryTier(limit_bytes=6_000)
    for name in ("a", "b", "c"):
        tier.keep(("catalogue", name), (1,), name * 700)  # ~0.7 KB pickled each
    tier.fresh(("catalogue", "a"), (1,), ttl_seconds=60)  # "a" read again: "b" is now the oldest

    for name in "defghi":  # nine in all: one too many
        tier.keep(("catalogue", name), (1,), name * 700)
    tier.keep(("catalogue", "huge"), (1,), "x" * 2_000)  # over an eighth of the limit: not kept

    kept = {key for _region, key in tier._entries}
    assert "a" in kept
    assert "b" not in kept
    assert "huge" not in kept
    assert tier._bytes <= 6_000
    assert tier.fresh(("catalogue", "a"), (2,), ttl_seconds=60) is caching._MISSING  # another revision


def test_whole_responses_stay_out_of_the_memory_tier(api_as: Any, learner: User, in_memory: Any) -> None:
    """The anonymous cache holds those already: a second copy per process was what grew the web
    processes past their memory target in the first bench of the tier."""
    make_course("Sleep better")

    assert api_as(learner).get("/courses").status_code == 200

    assert not any(isinstance(value, caching.CachedBody) for *_, value in caching.MEMORY._entries.values())


@pytest.mark.django_db
def test_pieces_keyed_by_their_content_are_read_with_no_revision_query() -> None:
    built: list[str] = []

    def build() -> str:
        built.append("once")
        return "<li>Day 1</li>"

    key = f"test|{caching.content_digest([(1, 'Day 1')])}"
    with CaptureQueriesContext(connection) as queries:
        first = caching.FRAGMENTS.get_or_build(key, build)
        again = caching.FRAGMENTS.get_or_build(key, build)

    assert first == again == "<li>Day 1</li>"
    assert built == ["once"]
    assert queries.captured_queries == []
    assert caching.content_digest([(1, "Day 1")]) != caching.content_digest([(1, "Day 1, renamed")])
