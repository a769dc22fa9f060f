"""The big benchmark dataset: 10,000 courses, 140,000 lessons, 100,000 users, 500,000
enrolments and 3,000,000 lesson-progress rows (at --scale 1), deterministic for a seed.

    python -m bench.dataset [--scale 1.0] [--seed 42]     (DATABASE_URL picks SQLite or PostgreSQL)

Rows go in with COPY (PostgreSQL) or batched inserts (SQLite) in foreign-key order. On SQLite
the database's own triggers keep the lesson and enrolment counters and the cache revisions as
rows arrive. On PostgreSQL, where 500,000 row-trigger updates of 10,000 course rows in one
transaction take many minutes, the load runs with triggers off, as pg_restore
--disable-triggers does (session_replication_role = replica; needs a superuser), and then sets
what they keep with one UPDATE per counter and a new revision for every cache scope.
Every benchmark user's password is BENCH_PASSWORD (hashed once with the production hasher).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

BENCH_PASSWORD = "bench-password-2026"
BASE = {"courses": 10_000, "users": 100_000, "enrollments": 500_000, "progress": 3_000_000}
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

SUBJECTS = [
    "Python",
    "SQL",
    "Spanish",
    "French",
    "Japanese",
    "Photography",
    "Sketching",
    "Negotiation",
    "Budgeting",
    "Public Speaking",
    "Git",
    "Sleep",
    "Running",
    "Nutrition",
    "Journaling",
    "Focus",
    "Statistics",
    "Excel",
    "Marketing",
    "Leadership",
    "Guitar",
    "Piano",
    "Watercolour",
    "Meditation",
    "Yoga",
    "Writing",
    "Chess",
    "Gardening",
    "Cooking",
    "Design",
    "Accessibility",
    "Security",
    "Linux",
    "Rust",
    "Kubernetes",
    "Negotiating",
    "Interviewing",
    "Storytelling",
    "Calligraphy",
    "Astronomy",
]
ANGLES = [
    "for Beginners",
    "in Practice",
    "Essentials",
    "Fundamentals",
    "Step by Step",
    "for Busy People",
    "Deep Dive",
    "Crash Course",
    "Made Simple",
    "for Teams",
    "Habits",
    "Masterclass",
]
WORDS = [
    "practice",
    "habit",
    "daily",
    "short",
    "lesson",
    "skill",
    "example",
    "exercise",
    "review",
    "build",
    "plan",
    "reflect",
    "improve",
    "notes",
    "question",
    "answer",
    "method",
    "idea",
    "project",
    "goal",
    "focus",
    "progress",
    "routine",
    "simple",
    "clear",
    "useful",
    "steady",
    "learn",
]
DURATIONS = (7, 14, 21)
LEVELS = ("BEGINNER", "INTERMEDIATE", "ADVANCED")


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "momentum.settings")
    import django

    django.setup()


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


class Loader:
    """Bulk insert rows into one table on SQLite or PostgreSQL."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.vendor = connection.vendor

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], batch: int = 20_000) -> int:
        count = 0
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                raw = cursor.cursor  # psycopg 3
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in row])
                        count += 1
            else:
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"  # noqa: S608
                chunk: list[Sequence[Any]] = []
                for row in rows:
                    chunk.append([_sqlite(value) for value in row])
                    if len(chunk) >= batch:
                        cursor.executemany(sql, chunk)
                        count += len(chunk)
                        chunk = []
                if chunk:
                    cursor.executemany(sql, chunk)
                    count += len(chunk)
        return count

    def max_id(self, table: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            return int(cursor.fetchone()[0])


def _sqlite(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def generate(scale: float = 1.0, seed: int = 42, out: Any = sys.stdout) -> dict[str, int]:
    _django()
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from momentum.catalog.models import Category

    rng = random.Random(seed)
    sizes = {name: max(1, int(n * scale)) for name, n in BASE.items()}
    loader = Loader(connection)
    categories = list(Category.objects.values_list("id", flat=True))
    password = make_password(BENCH_PASSWORD)
    counts: dict[str, int] = {}
    started = time.perf_counter()

    def log(step: str) -> None:
        print(f"{time.perf_counter() - started:7.1f} s  {step}", file=out, flush=True)

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        first_user = loader.max_id("accounts_user") + 1
        counts["users"] = loader.insert(
            "accounts_user",
            [
                "id",
                "password",
                "email",
                "display_name",
                "role",
                "email_verified",
                "is_active",
                "timezone",
                "age_range",
                "gender",
                "country",
                "education",
                "occupation",
                "reminder_emails",
                "created_at",
                "updated_at",
            ],
            (
                (
                    first_user + i,
                    password,
                    f"bench-{i}@bench.momentum.localhost",
                    f"Bench Learner {i}",
                    "PREMIUM" if i % 20 == 0 else "FREE",
                    True,
                    True,
                    "UTC",
                    rng.choice(["", "18_24", "25_34", "35_44", "45_54"]),
                    rng.choice(["", "female", "male"]),
                    rng.choice(["", "US", "GB", "DE", "FR", "IN", "BR"]),
                    "",
                    "",
                    True,
                    NOW - timedelta(days=rng.randint(0, 700)),
                    NOW,
                )
                for i in range(sizes["users"])
            ),
        )
        log(f"{counts['users']:,} users")

        first_course = loader.max_id("catalog_course") + 1
        courses: list[tuple[int, int, bool]] = []  # (id, duration, published)

        def course_rows() -> Iterator[Sequence[Any]]:
            for i in range(sizes["courses"]):
                course_id = first_course + i
                duration = DURATIONS[i % 3]
                status = "DRAFT" if i % 20 == 7 else "ARCHIVED" if i % 50 == 11 else "PUBLISHED"
                courses.append((course_id, duration, status == "PUBLISHED"))
                title = f"{rng.choice(SUBJECTS)} {rng.choice(ANGLES)} {i}"
                created = NOW - timedelta(days=rng.randint(0, 700), minutes=i)
                premium = i % 10 == 3
                yield (
                    course_id,
                    f"bench-course-{i}",
                    title,
                    _sentence(rng, 30),
                    rng.choice(categories),
                    duration,
                    rng.choice(LEVELS),
                    status,
                    premium,
                    2900 if premium else 0,
                    "usd",
                    "",
                    {"bench": True},
                    created if status == "PUBLISHED" else None,
                    0,
                    0,
                    created,
                    created,
                )

        counts["courses"] = loader.insert(
            "catalog_course",
            [
                "id",
                "slug",
                "title",
                "description",
                "category_id",
                "duration_days",
                "level",
                "status",
                "is_premium",
                "price_cents",
                "currency",
                "thumbnail",
                "metadata",
                "published_at",
                "lesson_count",
                "enrollment_count",
                "created_at",
                "updated_at",
            ],
            course_rows(),
        )
        log(f"{counts['courses']:,} courses")

        first_lesson = loader.max_id("catalog_lesson") + 1
        lesson_ids: dict[int, int] = {}  # course id -> id of its day-1 lesson (days are consecutive ids)

        def lesson_rows() -> Iterator[Sequence[Any]]:
            lesson_id = first_lesson
            for course_id, duration, _published in courses:
                lesson_ids[course_id] = lesson_id
                for day in range(1, duration + 1):
                    yield (
                        lesson_id,
                        course_id,
                        day,
                        f"Day {day}: {rng.choice(WORDS)} and {rng.choice(WORDS)}",
                        f"## {rng.choice(WORDS).title()}\n\n{_sentence(rng, 60)}\n\n- {_sentence(rng, 8)}\n",
                        "",
                        "",
                        rng.randint(5, 15),
                        day == 1,
                        NOW,
                        NOW,
                    )
                    lesson_id += 1

        counts["lessons"] = loader.insert(
            "catalog_lesson",
            [
                "id",
                "course_id",
                "day",
                "title",
                "content_markdown",
                "video",
                "video_url",
                "duration_minutes",
                "is_preview",
                "created_at",
                "updated_at",
            ],
            lesson_rows(),
        )
        log(f"{counts['lessons']:,} lessons")

        # Enrolments: popular courses draw most learners (a Zipf-like weight on a shuffled order).
        published = [course for course in courses if course[2]]
        rng.shuffle(published)
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(published))]
        enrollments: list[tuple[int, int, int, datetime]] = []  # user, course id, duration, enrolled_at
        seen: set[tuple[int, int]] = set()
        while len(enrollments) < sizes["enrollments"]:
            batch = rng.choices(published, weights=weights, k=min(50_000, sizes["enrollments"] - len(enrollments)))
            for course_id, duration, _ in batch:
                user = first_user + rng.randrange(sizes["users"])
                if (user, course_id) in seen:
                    continue
                seen.add((user, course_id))
                enrollments.append((user, course_id, duration, NOW - timedelta(days=rng.randint(1, 300))))
        del seen
        first_enrollment = loader.max_id("learning_enrollment") + 1
        progress_plan: list[tuple[int, int, int, int, datetime]] = []  # user, course, first lesson, done, start
        # Each enrolment is as far along as an exponential draw says, capped by its course's days;
        # the mean is raised so that the capped total reaches the progress rows asked for.
        per_enrollment = 1.5 * sizes["progress"] / sizes["enrollments"]

        def enrollment_rows() -> Iterator[Sequence[Any]]:
            for i, (user, course_id, duration, enrolled) in enumerate(enrollments):
                done = min(duration, max(0, round(rng.expovariate(1 / per_enrollment))))
                completed = enrolled + timedelta(days=duration) if done == duration else None
                progress_plan.append((user, course_id, lesson_ids[course_id], done, enrolled))
                yield (first_enrollment + i, user, course_id, enrolled, completed, enrolled, NOW)

        counts["enrollments"] = loader.insert(
            "learning_enrollment",
            ["id", "user_id", "course_id", "enrolled_at", "completed_at", "last_activity_at", "updated_at"],
            enrollment_rows(),
        )
        log(f"{counts['enrollments']:,} enrolments")

        def progress_rows() -> Iterator[Sequence[Any]]:
            produced = 0
            for user, course_id, first, done, start in progress_plan:
                for day in range(done):
                    when = start + timedelta(days=day, hours=rng.randint(6, 22))
                    yield (user, first + day, course_id, True, when, when.date(), 0, when, when)
                    produced += 1
                    if produced >= sizes["progress"]:
                        return

        counts["progress"] = loader.insert(
            "learning_lessonprogress",
            [
                "user_id",
                "lesson_id",
                "course_id",
                "completed",
                "completed_at",
                "completed_on",
                "position_seconds",
                "created_at",
                "updated_at",
            ],
            progress_rows(),
        )
        log(f"{counts['progress']:,} progress rows")
        if connection.vendor == "postgresql":
            _set_what_triggers_keep(connection)
            log("counters and cache revisions set")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("accounts_user", "catalog_course", "catalog_lesson", "learning_enrollment"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    log("analysed")
    return counts


def _set_what_triggers_keep(connection: Any) -> None:
    """The counters and cache revisions the triggers would have kept during the load."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute(
            "UPDATE catalog_course AS c SET "
            "lesson_count = (SELECT COUNT(*) FROM catalog_lesson l WHERE l.course_id = c.id), "
            "enrollment_count = (SELECT COUNT(*) FROM learning_enrollment e WHERE e.course_id = c.id) "
            "WHERE c.metadata @> '{\"bench\": true}'"
        )
        cursor.execute(
            "INSERT INTO ops_cacherevision (scope, revision) "
            "SELECT 'learner:' || user_id, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint "
            "FROM (SELECT DISTINCT user_id FROM learning_enrollment) AS learners "
            "ON CONFLICT (scope) DO UPDATE SET revision = EXCLUDED.revision"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dataset", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = the full dataset")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    counts = generate(scale=args.scale, seed=args.seed)
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
