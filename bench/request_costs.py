"""What one request of the learner's path costs: database queries and CPU, counted in process.

    python -m bench.request_costs [--repeat 200] [--database-url URL] [--profile WORKLOAD]

The learner's workloads of issue 21 (course page, lesson page, progress PUT, a lesson's
completion, quiz attempt, certificate verification), each requested ``--repeat`` times through Django's test client (the
whole middleware stack, no HTTP server) by an enrolled learner of a 21-day course with quizzes.
Reported per request: queries (and how many of them write), CPU milliseconds (process time,
which other work on the machine does not inflate, unlike wall time) and the CPU ratio to a
trivial view through the same stack (``/healthz``), the in-process stand-in for the issue's
"ceiling", and Python function calls per request (cProfile's count, which the machine's load
does not move). ``--profile`` prints the 70 costliest functions (cProfile) of one workload,
cumulative or by ``BENCH_PROFILE_SORT`` (e.g. ``tottime``), and with
``BENCH_PROFILE_CALLEES=<function name>`` what that function spends its time calling.

Runs on a scratch SQLite test database (var/bench-requests), or the PostgreSQL server of
``--database-url`` (a test database is created there and dropped). Results: bench/results/<UTC
stamp>-request-costs.json and .md.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DATA_DIR = ROOT / "var" / "bench-requests"
WRITES = ("INSERT", "UPDATE", "DELETE")
JSON = "application/json"


def _prepare_environment(database_url: str) -> None:
    os.environ.update({"DJANGO_SETTINGS_MODULE": "momentum.test_settings", "MOMENTUM_DATA_DIR": str(DATA_DIR),
                       "MOMENTUM_LOG_LEVEL": "WARNING", "MOMENTUM_DOTENV": os.devnull,
                       # the production setting: side writes of a read are buffered
                       "MOMENTUM_WRITE_BUFFER_SECONDS": "1",
                       # one learner makes every workload's requests: the per-account rate would refuse
                       "MOMENTUM_RATELIMIT_USER": "1000000/m", "MOMENTUM_RATELIMIT_ANON": "1000000/m"})  # fmt: skip
    for name in ("REDIS_URL", "DBOS_SYSTEM_DATABASE_URL", "MOMENTUM_TEST_DERIVED_FOR"):
        os.environ.pop(name, None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)


def _world(repeat: int) -> dict[str, Any]:
    """A 21-day self-paced course with a quiz on every day, a learner enrolled half way, a certificate;
    learners of a course without quizzes, with a lesson not done yet for each request of ``repeat``."""
    from django.test import Client

    from momentum.accounts.models import Role
    from momentum.accounts.tokens import issue_access_token
    from momentum.assessments.actions import do_put_quiz
    from momentum.assessments.models import Quiz
    from momentum.assessments.tests.factories import quiz_spec
    from momentum.learning.actions import do_enroll, do_record_progress
    from tests.factories import make_certificate, make_course, make_user

    admin = make_user("bench-admin@example.com", role=Role.ADMIN)
    learner = make_user("bench-learner@example.com")
    course = make_course("Twenty-one days of statistics", duration_days=21, lesson_minutes=12)
    lessons = list(course.lessons.order_by("day"))
    for lesson in lessons:
        do_put_quiz(admin, lesson, quiz_spec())
    do_enroll(learner, course)
    for lesson in lessons[:10]:
        do_record_progress(learner, lesson, completed=False)
    certificate = make_certificate(make_user("bench-graduate@example.com"))
    quiz = Quiz.objects.get(lesson=lessons[10])
    answers = []
    for question in quiz.questions.prefetch_related("options"):
        if question.kind == "short_text":
            answers.append({"question_id": question.pk, "text": "a wrong answer"})
        else:
            answers.append({"question_id": question.pk, "option_ids": [question.options.all()[0].pk]})
    page = Client()
    page.force_login(learner)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(learner)}")
    # what marking a lesson done costs the first time (each request completes a lesson not done
    # before): learners of a 21-day course without quizzes, each completing all but its last day
    # (the last would complete the course, a rarer and dearer write)
    plain = make_course("Twenty-one days of drawing", duration_days=21, lesson_minutes=12)
    plain_lessons = list(plain.lessons.order_by("day"))[:-1]
    completions = []
    wanted = 10 + 1 + repeat + CALL_SAMPLE  # measure()'s requests
    for number in range(1 + wanted // len(plain_lessons)):
        finisher = make_user(f"bench-finisher-{number}@example.com")
        do_enroll(finisher, plain)
        finisher_api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(finisher)}")
        completions += [(finisher_api, f"/api/v1/courses/{plain.slug}/lessons/{lesson.pk}/progress")
                        for lesson in plain_lessons]  # fmt: skip
    return {"course": course, "lessons": lessons, "page": page, "api": api, "anonymous": Client(),
            "certificate": certificate, "answers": answers, "completions": iter(completions)}  # fmt: skip


def workloads(world: dict[str, Any]) -> dict[str, Callable[[int], Any]]:
    course, lessons, page, api = world["course"], world["lessons"], world["page"], world["api"]
    slug = course.slug
    progress = lessons[9]
    quiz_lesson = lessons[10]
    return {
        "ceiling (/healthz)": lambda n: world["anonymous"].get("/healthz"),
        # the frame every signed-in page pays (session, user, middleware, base.html) around no content of its own
        "signed-in frame (/terms/)": lambda n: page.get("/terms/"),
        "course page": lambda n: page.get(f"/courses/{slug}/"),
        "lesson page": lambda n: page.get(f"/courses/{slug}/day/{1 + n % 10}/"),
        "progress PUT": lambda n: api.put(f"/api/v1/courses/{slug}/lessons/{progress.pk}/progress",
                                          {"completed": False, "position_seconds": n % 600}, JSON),
        "lesson completion": lambda n: _complete_next(world["completions"]),
        # unlimited attempts (quiz_spec), every one graded and stored
        "quiz attempt": lambda n: api.post(f"/api/v1/courses/{slug}/lessons/{quiz_lesson.pk}/quiz/attempts",
                                           {"answers": world["answers"]}, JSON),
        "certificate verification": lambda n: world["anonymous"].get(f"/certificates/{world['certificate'].pk}/"),
    }  # fmt: skip


def _complete_next(completions: Iterator[tuple[Any, str]]) -> Any:
    client, path = next(completions)
    return client.put(path, {"completed": True}, JSON)


def measure(name: str, request: Callable[[int], Any], repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(10):  # warm: caches (the lesson page cycles through 10 days), sessions, templates
        response = request(n)
    status = response.status_code
    with CaptureQueriesContext(connection) as one:
        request(0)
    sqls = [q["sql"] for q in one.captured_queries]
    begun = time.process_time()
    for n in range(repeat):
        request(n)
    cpu = (time.process_time() - begun) / repeat
    return {
        "workload": name,
        "status": status,
        "queries": len(sqls),
        "writes": sum(1 for sql in sqls if sql.lstrip().upper().startswith(WRITES)),
        "cpu_ms": round(cpu * 1000, 3),
        "calls": python_calls(request, CALL_SAMPLE),
        "sql": sqls,
    }


CALL_SAMPLE = 20


def python_calls(request: Callable[[int], Any], repeat: int) -> int:
    """Python function calls per request (cProfile's count): unlike CPU time, the same figure
    whatever else the machine runs, so it tells a change's effect on a noisy machine."""
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(repeat):
        request(n)
    profiler.disable()
    return round(pstats.Stats(profiler).total_calls / repeat)  # type: ignore[attr-defined]


def profile(request: Callable[[int], Any], repeat: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(repeat):
        request(n)
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative"))
    stats.print_stats(70)
    if os.environ.get("BENCH_PROFILE_CALLEES"):
        stats.print_callees(os.environ["BENCH_PROFILE_CALLEES"])


def markdown(document: dict[str, Any]) -> str:
    ceiling = document["rows"][0]["cpu_ms"]
    lines = [
        f"# Request costs of the learner's path {document['when']}",
        "",
        f"`python -m bench.request_costs` on {document['database']}, {document['repeat']} requests per workload "
        "through Django's test client (the whole middleware stack, no HTTP server), by an enrolled learner of "
        "a 21-day course with a quiz a day. CPU is process time per request; the ratio is the trivial view's "
        "CPU over the workload's (the in-process share of the ceiling: the issue's target is >= 25 %). "
        f"Python calls: function calls per request under cProfile ({CALL_SAMPLE} requests), the figure "
        "that does not move with the machine's load.",
        "",
        "| workload | status | queries | writes | CPU ms / request | share of the ceiling | Python calls |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in document["rows"]:
        share = ceiling / row["cpu_ms"] if row["cpu_ms"] else 0
        lines.append(f"| {row['workload']} | {row['status']} | {row['queries']} | {row['writes']} "
                     f"| {row['cpu_ms']:.2f} | {share:.0%} | {row.get('calls', 0):,} |")  # fmt: skip
    lines += ["", "The SQL of one request of each workload is in the JSON file beside this one.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.request_costs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", default="", help="print a cProfile of this workload (e.g. 'lesson page')")
    parser.add_argument("--show-sql", action="store_true", help="print the SQL of one request of each workload")
    parser.add_argument("--no-save", action="store_true", help="print, do not write bench/results")
    args = parser.parse_args(argv)
    _prepare_environment(args.database_url)
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        world = _world(args.repeat)
        todo = workloads(world)
        if args.profile:
            profile(todo[args.profile], args.repeat)
            return 0
        rows = [measure(name, request, args.repeat) for name, request in todo.items()]
    finally:
        from momentum.lib import write_buffer

        write_buffer.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S")
    document = {"benchmark": "request_costs", "when": stamp, "database": settings.DATABASE_VENDOR,
                "repeat": args.repeat, "cpus": os.cpu_count(), "rows": rows}  # fmt: skip
    text = markdown(document)
    if args.show_sql:
        for row in rows:
            print(f"## {row['workload']}", *row["sql"], sep="\n")
    print(text)
    if not args.no_save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{stamp}-request-costs.json").write_text(json.dumps(document, indent=2) + "\n")
        (RESULTS / f"{stamp}-request-costs.md").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
