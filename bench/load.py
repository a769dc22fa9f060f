"""Load benchmark: the hot endpoints under wrk, against `momentum serve` on the big dataset.

    python -m bench.load [--connections 64] [--duration 20] [--scenarios a,b] [--compare-moodle]

Defaults follow issue 9's targets: PostgreSQL + Redis (BENCH_DATABASE_URL / BENCH_REDIS_URL),
2 web processes, 64 connections. Each scenario replays prepared requests (random pages,
courses, learners) through bench/wrk/replay.lua. The ceiling scenario, /healthz, is a trivial
JSON view through the same server and middleware, so each figure is also a ratio to the best
the stack can do. Results: bench/results/<stamp>-load.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import percentile

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
REPLAY = ROOT / "bench" / "wrk" / "replay.lua"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/momentum_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/1"

# Targets from issue 9 (2 cores, 64 connections, big dataset, PostgreSQL + Redis, 2 web processes).
TARGETS_P95_MS = {
    "catalogue_api": 25,
    "course_detail_api": 30,
    "course_page": 30,
    "lesson_page": 40,
    "progress_put": 40,
    "search_api": 50,
}
# Moodle 4.3 on this machine at 10 connections (issue 9): Momentum must reach 10x with P95 < 30 ms.
MOODLE = {"catalogue_page": 52, "learner_course_page": 33, "mark_lesson_done": 95}


@dataclass
class Scenario:
    name: str
    description: str
    lines: Callable[[Any], list[str]]
    connections: int | None = None
    results: dict[str, Any] = field(default_factory=dict)


def line(method: str, path: str, headers: dict[str, str] | None = None, body: str = "") -> str:
    header_text = "|".join(f"{k}: {v}" for k, v in (headers or {}).items())
    return f"{method}\t{path}\t{header_text}\t{body}"


class Material:
    """What the requests need: course slugs, enrolled learners with sessions and tokens."""

    def __init__(self, rng: random.Random, learners: int = 300) -> None:
        from django.conf import settings
        from django.contrib.sessions.backends.db import SessionStore

        from momentum.accounts.tokens import issue_access_token
        from momentum.catalog.models import Category, Course, Status
        from momentum.learning.models import Enrollment

        self.slugs = list(
            Course.objects.filter(status=Status.PUBLISHED, metadata__bench=True).values_list("slug", flat=True)[:5000]
        )
        self.categories = list(Category.objects.values_list("slug", flat=True))
        self.enrolled: list[dict[str, Any]] = []
        picks = (
            Enrollment.objects.filter(course__status=Status.PUBLISHED, course__metadata__bench=True)
            .select_related("user", "course")
            .order_by("id")[: learners * 3]
        )
        for enrollment in rng.sample(list(picks), min(learners, len(picks))):
            session = SessionStore()
            session["_auth_user_id"] = str(enrollment.user.pk)
            session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
            session["_auth_user_hash"] = enrollment.user.get_session_auth_hash()
            session.create()
            lessons = list(enrollment.course.lessons.order_by("day").values_list("id", "day"))
            self.enrolled.append(
                {
                    "email": enrollment.user.email,
                    "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
                    "token": issue_access_token(enrollment.user),
                    "slug": enrollment.course.slug,
                    "lessons": lessons,
                }
            )


def _lesson_path(slug: str, day: int) -> str:
    from django.urls import reverse

    return reverse("learning:lesson", args=[slug, day])


def scenarios(rng: random.Random) -> list[Scenario]:
    def ceiling(m: Material) -> list[str]:
        return [line("GET", "/healthz")]

    def catalogue_api(m: Material) -> list[str]:
        sorts = ["newest", "popular", "title"]
        out = [
            line("GET", f"/api/v1/courses?page={rng.randint(1, 50)}&page_size=20&sort={rng.choice(sorts)}")
            for _ in range(300)
        ]
        out += [
            line("GET", f"/api/v1/courses?category={c}&duration_days={d}&sort=popular")
            for c in m.categories
            for d in (7, 14, 21)
        ]
        return out

    def search_api(m: Material) -> list[str]:
        from bench.dataset import SUBJECTS

        return [line("GET", f"/api/v1/courses?q={s.split()[0].lower()}") for s in SUBJECTS]

    def course_detail_api(m: Material) -> list[str]:
        return [line("GET", f"/api/v1/courses/{slug}") for slug in rng.sample(m.slugs, min(1000, len(m.slugs)))]

    def course_page(m: Material) -> list[str]:
        return [line("GET", f"/courses/{slug}/") for slug in rng.sample(m.slugs, min(1000, len(m.slugs)))]

    def lesson_page(m: Material) -> list[str]:
        out = []
        for e in m.enrolled:
            _lesson_id, day = rng.choice(e["lessons"])
            out.append(line("GET", _lesson_path(e["slug"], day), {"Cookie": e["cookie"]}))
        return out

    def progress_put(m: Material) -> list[str]:
        out = []
        for e in m.enrolled:
            lesson_id, _day = rng.choice(e["lessons"])
            body = json.dumps({"completed": True, "position_seconds": rng.randint(0, 600)})
            headers = {"Authorization": f"Bearer {e['token']}", "Content-Type": "application/json"}
            out.append(line("PUT", f"/api/v1/courses/{e['slug']}/lessons/{lesson_id}/progress", headers, body))
        return out

    def sign_in(m: Material) -> list[str]:
        from bench.dataset import BENCH_PASSWORD

        headers = {"Content-Type": "application/json"}
        return [
            line("POST", "/api/v1/auth/token", headers, json.dumps({"email": e["email"], "password": BENCH_PASSWORD}))
            for e in m.enrolled
        ]

    return [
        Scenario("ceiling", "GET /healthz: trivial JSON through the same server and middleware", ceiling),
        Scenario("catalogue_api", "GET /api/v1/courses, random page, sort and filters", catalogue_api),
        Scenario("search_api", "GET /api/v1/courses?q=<word>", search_api),
        Scenario("course_detail_api", "GET /api/v1/courses/{slug}", course_detail_api),
        Scenario("course_page", "GET /courses/{slug}/ (page, anonymous)", course_page),
        Scenario("lesson_page", "the lesson page of an enrolled learner (session)", lesson_page),
        Scenario("progress_put", "PUT .../lessons/{id}/progress (bearer)", progress_put),
        Scenario("sign_in", "POST /api/v1/auth/token (Argon2 verify)", sign_in),
    ]


def moodle_scenarios(rng: random.Random) -> list[Scenario]:
    base = {s.name: s for s in scenarios(rng)}
    return [
        Scenario(
            "catalogue_page",
            "GET /courses/?page=N (the catalogue page)",
            lambda m: [line("GET", f"/courses/?page={rng.randint(1, 50)}") for _ in range(200)],
            connections=10,
        ),
        Scenario(
            "learner_course_page",
            "GET /courses/{slug}/ as its enrolled learner (session): outline, progress, continue",
            lambda m: [line("GET", f"/courses/{e['slug']}/", {"Cookie": e["cookie"]}) for e in m.enrolled],
            connections=10,
        ),
        Scenario(
            "mark_lesson_done", "marking a lesson done (progress PUT)", base["progress_put"].lines, connections=10
        ),
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def rss_mb(pid: int) -> float:
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1]) / 1024
    return 0.0


def run_wrk(port: int, requests_file: Path, connections: int, duration: int) -> dict[str, Any]:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "5s",
        "-s",
        str(REPLAY),
        f"http://127.0.0.1:{port}",
        "--",
        str(requests_file),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    summary = json.loads([row for row in output.splitlines() if row.startswith("{")][-1])
    summary["errors"] = sum(
        summary[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "non_2xx")
    )
    return summary


def scrape(port: int) -> dict[str, Any]:
    """From the server's /metrics: the database query time P95 (from the histogram's buckets, all
    operations) and the hit ratio of each cache region."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30).read().decode()
    buckets: dict[float, float] = {}
    lookups: dict[str, dict[str, float]] = {}
    for row in text.splitlines():
        if row.startswith("momentum_db_query_duration_seconds_bucket{"):
            le = row.split('le="', 1)[1].split('"', 1)[0]
            bound = float("inf") if le == "+Inf" else float(le)
            buckets[bound] = buckets.get(bound, 0.0) + float(row.rsplit(" ", 1)[1])
        elif row.startswith("momentum_cache_lookups_total{"):
            region = row.split('cache="', 1)[1].split('"', 1)[0]
            result = row.split('result="', 1)[1].split('"', 1)[0]
            lookups.setdefault(region, {})[result] = float(row.rsplit(" ", 1)[1])
    total = buckets.get(float("inf"), 0.0)
    p95 = next((bound for bound in sorted(buckets) if total and buckets[bound] >= 0.95 * total), None)
    ratios = {
        region: round(counts.get("hit", 0) / (counts.get("hit", 0) + counts.get("miss", 0)), 3)
        for region, counts in lookups.items()
        if counts.get("hit", 0) + counts.get("miss", 0)
    }
    return {
        "db_queries": total,
        "db_query_p95_ms_at_most": None if p95 is None else p95 * 1000,
        "cache_hit_ratio": ratios,
    }


def query_times(chosen: list[Scenario], files: dict[str, Path], sample: int = 60) -> dict[str, Any]:
    """Each scenario's database queries timed one at a time, in this process, with nothing else
    running: ``sample`` of its requests, first with the cache emptied (every query the endpoint
    runs when nothing is cached), then again (what a cached read still asks the database).
    Issue 9's "database query P95 < 5 ms" is about the queries and their indexes, which the
    server-side histogram cannot separate from waiting for a core under saturation."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    timings: list[tuple[float, str]] = []

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - start, sql))

    def replay(raw: str, client: Client) -> int:
        method, path, header_text, body = raw.split("\t")
        headers = dict(part.split(": ", 1) for part in header_text.split("|") if part)
        content_type = headers.pop("Content-Type", "application/octet-stream")
        return int(client.generic(method, path, body, content_type=content_type, headers=headers).status_code)

    client = Client(HTTP_HOST="127.0.0.1")
    found: dict[str, Any] = {}
    with connection.execute_wrapper(timer):
        for scenario in chosen:
            if scenario.name in ("ceiling", "sign_in"):
                continue
            lines = files[scenario.name].read_text().splitlines()[:sample]
            figures = {}
            for phase in ("cold", "warm"):
                if phase == "cold":
                    cache.clear()
                timings.clear()
                errors = sum(1 for raw in lines if not 200 <= replay(raw, client) < 300)
                ms = [seconds * 1000 for seconds, _sql in timings]
                slowest = max(timings, default=(0.0, ""))
                figures[phase] = {
                    "requests": len(lines),
                    "errors": errors,
                    "queries": len(ms),
                    "p50_ms": round(percentile(ms, 0.50), 3),
                    "p95_ms": round(percentile(ms, 0.95), 3),
                    "max_ms": round(max(ms, default=0.0), 3),
                    "slowest_sql": slowest[1][:300],
                }
            found[scenario.name] = figures
    return found


def create_database_if_missing(url: str) -> None:
    """A fresh machine has no benchmark database yet: create it (PostgreSQL; SQLite makes its file)."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg
    from psycopg import sql

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"Creating the database {name}...", flush=True)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=20, help="seconds per scenario")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of the same load before each measurement")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--scenarios", default="", help="comma-separated names (default: all)")
    parser.add_argument("--compare-moodle", action="store_true", help="also the 10-connection Moodle workloads")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian package wrk; `make bench` installs it).", file=sys.stderr)
        return 2

    data_dir = ROOT / "var" / "bench"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "momentum.settings",
        "MOMENTUM_ENV": "dev",
        "MOMENTUM_DEBUG": "false",
        "MOMENTUM_LOG_LEVEL": "WARNING",
        "MOMENTUM_DATA_DIR": str(data_dir),
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "MOMENTUM_ACCESS_TOKEN_TTL": "86400",
        # The benchmark is one client hammering from one address: lift the per-IP/user limits.
        "MOMENTUM_RATELIMIT_ANON": "1000000/m",
        "MOMENTUM_RATELIMIT_USER": "1000000/m",
        "MOMENTUM_RATELIMIT_ADMIN": "1000000/m",
        "MOMENTUM_SIGNIN_FAILURES_PER_IP": "1000000",
        "MOMENTUM_DOTENV": os.devnull,
    }
    os.environ.update(
        {k: v for k, v in env.items() if k.startswith(("MOMENTUM_", "DATABASE_URL", "REDIS_URL", "DJANGO_"))}
    )
    create_database_if_missing(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    from momentum.catalog.models import Course

    call_command("migrate", verbosity=0)
    if Course.objects.filter(metadata__bench=True).count() < 10_000:
        from bench.dataset import generate

        print("Generating the big dataset (once)...", flush=True)
        generate(scale=1.0)

    rng = random.Random(7)
    material = Material(rng)
    chosen = scenarios(rng) + (moodle_scenarios(rng) if args.compare_moodle else [])
    if args.scenarios:
        wanted = set(args.scenarios.split(","))
        chosen = [s for s in chosen if s.name in wanted or s.name == "ceiling"]

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "momentum.cli", "serve", "--workers", str(args.web_workers), "--port", str(port)],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    work = data_dir / "requests"
    work.mkdir(parents=True, exist_ok=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        for _ in range(4 * args.web_workers):  # each web process loads its URL conf on a first request
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/categories", timeout=60)
        files: dict[str, Path] = {}
        for scenario in chosen:
            requests_file = files[scenario.name] = work / f"{scenario.name}.tsv"
            requests_file.write_text("\n".join(scenario.lines(material)) + "\n")
            connections = scenario.connections or args.connections
            if args.warmup:
                run_wrk(port, requests_file, connections, args.warmup)
            scenario.results = run_wrk(port, requests_file, connections, args.duration)
            scenario.results["connections"] = connections
            print(
                f"{scenario.name:22} {scenario.results['rps']:9.1f} req/s  P95 {scenario.results['p95_ms']:7.2f} ms  "
                f"errors {scenario.results['errors']}",
                flush=True,
            )
        web = [pid for pid in descendants(server.pid) if "granian" in Path(f"/proc/{pid}/cmdline").read_text()]
        memory = {str(pid): round(rss_mb(pid), 1) for pid in web}
        server_figures = scrape(port)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    print("Timing each workload's database queries alone...", flush=True)
    server_figures["query_times"] = query_times(chosen, files)
    write_results(chosen, memory, server_figures, args)
    return 0


def write_results(
    chosen: list[Scenario], memory: dict[str, float], server: dict[str, Any], args: argparse.Namespace
) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M")
    ceiling = next((s.results["rps"] for s in chosen if s.name == "ceiling"), None)
    document = {
        "when": stamp,
        "machine": {"cpus": os.cpu_count()},
        "settings": {
            "connections": args.connections,
            "duration_s": args.duration,
            "web_workers": args.web_workers,
            "database": args.database_url.split("@")[-1],
            "redis": bool(args.redis_url),
        },
        "memory_rss_mb": memory,
        "server": server,
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False).stdout.splitlines()[0],
        "scenarios": {s.name: {"description": s.description, **s.results} for s in chosen},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stamp}-load.json").write_text(json.dumps(document, indent=2) + "\n")
    rows = [
        "| scenario | conns | req/s | % of ceiling | P50 ms | P95 ms | P99 ms | target P95 | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in chosen:
        r = s.results
        share = f"{100 * r['rps'] / ceiling:.0f} %" if ceiling else "—"
        target = TARGETS_P95_MS.get(s.name)
        moodle = MOODLE.get(s.name)
        target_text = f"≤ {target}" if target else (f"10× Moodle = {10 * moodle} req/s, < 30" if moodle else "—")
        rows.append(
            f"| {s.name} | {r['connections']} | {r['rps']:.0f} | {share} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {target_text} | {r['errors']} |"
        )
    text = "\n".join(
        [
            f"# Load benchmark {stamp}",
            "",
            f"{args.web_workers} web processes, {args.database_url.split('@')[-1]}"
            f" + Redis, wrk -t2, {args.duration} s per scenario after a {args.warmup} s warm-up.",
            "",
            *rows,
            "",
            "Memory (RSS) per process of the web server (granian's master and its workers): "
            + ", ".join(f"{v} MB" for v in memory.values()),
            "",
            f"Database queries during the run: {server['db_queries']:,.0f}; their P95 is at most "
            f"{server['db_query_p95_ms_at_most']} ms (the histogram bucket it falls in).",
            "",
            "Cache hit ratio by region: "
            + ", ".join(f"{region} {ratio:.1%}" for region, ratio in sorted(server["cache_hit_ratio"].items())),
            "",
            "Database queries of each workload timed one at a time with nothing else running (60 requests;",
            "cold: the cache emptied first, so every query the endpoint has; warm: what a cached read still asks):",
            "",
            "| scenario | cold queries | cold P50 ms | cold P95 ms | cold max ms | warm queries | warm P95 ms"
            " | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            *[
                f"| {name} | {q['cold']['queries']} | {q['cold']['p50_ms']:.2f} | {q['cold']['p95_ms']:.2f} | "
                f"{q['cold']['max_ms']:.2f} | {q['warm']['queries']} | {q['warm']['p95_ms']:.2f} | "
                f"{q['cold']['errors'] + q['warm']['errors']} |"
                for name, q in server.get("query_times", {}).items()
            ],
            "",
        ]
    )
    (RESULTS / f"{stamp}-load.md").write_text(text)
    print(text)


if __name__ == "__main__":
    sys.exit(main())
