"""The benchmark dataset generator, at a small scale: the sizes asked for, counters and cache
revisions as the triggers keep them, and the same rows for the same seed."""

from __future__ import annotations

import io

import pytest
from django.db.models import Count

from bench.dataset import generate
from momentum.accounts.models import User
from momentum.catalog.models import Course
from momentum.platform.models import CacheRevision

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_small_dataset_has_its_sizes_and_consistent_counters() -> None:
    counts = generate(scale=0.002, seed=7, out=io.StringIO())

    assert (counts["users"], counts["courses"], counts["enrollments"]) == (200, 20, 1000)
    assert 20 * 7 <= counts["lessons"] <= 20 * 21
    assert counts["progress"] == 6000
    courses = Course.objects.filter(metadata__bench=True).annotate(
        lessons_now=Count("lessons", distinct=True), enrolled_now=Count("enrollments", distinct=True)
    )
    assert all(c.lesson_count == c.lessons_now and c.enrollment_count == c.enrolled_now for c in courses)
    assert CacheRevision.objects.filter(scope="catalogue").exists()
    assert CacheRevision.objects.filter(scope__startswith="learner:").count() > 0


def test_the_same_seed_gives_the_same_catalogue() -> None:
    generate(scale=0.001, seed=3, out=io.StringIO())
    first = list(Course.objects.filter(metadata__bench=True).order_by("slug").values_list("title", "duration_days"))
    Course.objects.filter(metadata__bench=True).delete()
    User.objects.filter(email__endswith="@bench.momentum.localhost").delete()
    CacheRevision.objects.all().delete()

    generate(scale=0.001, seed=3, out=io.StringIO())

    assert (
        list(Course.objects.filter(metadata__bench=True).order_by("slug").values_list("title", "duration_days"))
        == first
    )


def test_every_workload_answers_on_the_small_dataset_and_its_queries_are_timed(tmp_path, settings) -> None:
    import random

    from bench.load import Material, moodle_scenarios, query_times, scenarios

    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    generate(scale=0.002, seed=7, out=io.StringIO())
    rng = random.Random(7)
    chosen = scenarios(rng) + moodle_scenarios(rng)
    material = Material(rng, learners=5)
    files = {}
    for scenario in chosen:
        files[scenario.name] = tmp_path / f"{scenario.name}.tsv"
        files[scenario.name].write_text("\n".join(scenario.lines(material)) + "\n")

    found = query_times(chosen, files, sample=5)

    # the ceiling and sign-in run no query worth timing; the bare stacks are not Momentum's app
    assert set(found) == {s.name for s in chosen if not s.stack} - {"ceiling", "sign_in"}
    for name, phases in found.items():
        assert phases["cold"]["requests"] == phases["warm"]["requests"] > 0, name
        assert phases["cold"]["errors"] == phases["warm"]["errors"] == 0, name
        # warm: an anonymous catalogue read may be answered from memory with no query at all (ADR 0022)
        assert phases["cold"]["queries"] >= phases["warm"]["queries"] >= 0 < phases["cold"]["queries"], name
        assert 0 < phases["cold"]["p50_ms"] <= phases["cold"]["p95_ms"] <= phases["cold"]["max_ms"], name
