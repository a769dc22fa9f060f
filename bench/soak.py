"""`make soak`: mixed learner and admin traffic against a real cluster, watching errors and memory.

The script starts its own cluster (tests/integration/cluster.py): a new PostgreSQL database,
migrated and seeded with the demo catalogue, `momentum serve` with two web processes and two
`momentum worker` processes, on Redis. Learners browse the catalogue, search, open course pages,
sign in for an API token, enrol, read lessons, record progress and look at their dashboard; an
admin opens studio pages and reads and edits through the admin API. Every answer must be the one
the request expects (no 5xx, no 4xx): any other is an error. The resident memory of every process
is sampled every ``--sample-seconds``; the report gives start, end, max and a least-squares slope.

    python -m bench.soak --seconds 600          # SOAK_SECONDS for `make soak`
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import percentile  # noqa: E402
from tests.integration.cluster import Cluster  # noqa: E402

RESULTS = ROOT / "bench" / "results"
LEARNERS = 12
# The demo admin `momentum seed-demo` creates (momentum/catalog/management/commands/seed_demo.py).
DEMO_ADMIN = ("admin@momentum.localhost", "momentum-admin-demo")
PASSWORD = "soak-test-password-42"
SEARCH_WORDS = ["python", "sleep", "money", "habit", "write", "focus", "cook", "run", "data", "calm"]


@dataclass
class Stats:
    requests: int = 0
    by_action: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def record(self, action: str, status: int, expected: tuple[int, ...], seconds: float, detail: str = "") -> None:
        self.requests += 1
        self.by_action[action] += 1
        self.statuses[status] += 1
        self.latencies[action].append(seconds)
        if status not in expected:
            self.errors.append(f"{action}: {status} (expected {expected}) {detail[:200]}")


# --- processes and memory -------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                parent = int(stat.rsplit(")", 1)[1].split()[1])
                tree[parent].append(int(entry.name))
    return tree


def _rss_mib(pid: int) -> float | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


def _name(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()[:120]
    return "?"


def processes_of(roots: dict[str, int]) -> dict[str, int]:
    """Each root process and its descendants, by a readable label."""
    tree = _children()
    found: dict[str, int] = {}
    for label, pid in roots.items():
        found[label] = pid
        stack = [(label, pid)]
        while stack:
            parent_label, parent = stack.pop()
            for index, child in enumerate(sorted(tree.get(parent, []))):
                child_label = f"{parent_label}/child{index + 1}"
                found[child_label] = child
                stack.append((child_label, child))
    return found


def slope_mib_per_min(points: list[tuple[float, float]]) -> float:
    if len(points) < 3:
        return 0.0
    xs = [t / 60 for t, _ in points]
    ys = [v for _, v in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0


async def sample_memory(roots: dict[str, int], every: float, stop: asyncio.Event, started: float,
                        series: dict[str, list[tuple[float, float]]]) -> None:  # fmt: skip
    while True:
        now = time.monotonic() - started
        for label, pid in processes_of(roots).items():
            rss = _rss_mib(pid)
            if rss is not None:
                series[f"{label} [{pid}]"].append((round(now, 1), round(rss, 1)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)
        if stop.is_set():
            return


# --- traffic --------------------------------------------------------------------------------


async def timed(client: httpx.AsyncClient, stats: Stats, action: str, method: str, url: str, *,
                expected: tuple[int, ...] = (200,), **kwargs: Any) -> httpx.Response | None:  # fmt: skip
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)
    except httpx.HTTPError as error:
        stats.record(action, 0, expected, time.perf_counter() - started, f"{type(error).__name__}: {error}")
        return None
    stats.record(action, response.status_code, expected, time.perf_counter() - started, response.text)
    return response


async def session_client(base: str, email: str, password: str) -> httpx.AsyncClient:
    """A browser-like client signed in through the sign-in form (session cookie + CSRF)."""
    client = httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=False)
    page = await client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    data = {"login": email, "password": password, "csrfmiddlewaretoken": token.group(1) if token else ""}
    answer = await client.post("/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"})
    if answer.status_code not in (302, 303):
        raise RuntimeError(f"signing {email} in through the form answered {answer.status_code}")
    return client


@dataclass
class World:
    base: str
    courses: list[dict[str, Any]]  # free published courses: slug, id, first lesson id
    admin_token: str
    learner_tokens: list[str]


async def learner_step(world: World, client: httpx.AsyncClient, page: httpx.AsyncClient, *, token: str,
                       email: str, stats: Stats, rng: random.Random) -> None:  # fmt: skip
    course = rng.choice(world.courses)
    auth = {"Authorization": f"Bearer {token}"}
    action = rng.choices(
        ["catalogue", "search", "course_page", "course_api", "sign_in", "enrol", "lesson", "progress",
         "dashboard", "stats", "home"],
        weights=[10, 8, 10, 8, 2, 4, 10, 8, 6, 4, 4],
    )[0]  # fmt: skip
    if action == "catalogue":
        await timed(page, stats, action, "GET", "/courses/")
    elif action == "home":
        await timed(page, stats, action, "GET", "/")
    elif action == "search":
        await timed(client, stats, action, "GET", "/api/v1/courses", params={"q": rng.choice(SEARCH_WORDS)})
    elif action == "course_page":
        await timed(page, stats, action, "GET", f"/courses/{course['slug']}/")
    elif action == "course_api":
        await timed(client, stats, action, "GET", f"/api/v1/courses/{course['slug']}")
    elif action == "sign_in":
        await timed(client, stats, action, "POST", "/api/v1/auth/token",
                    json={"email": email, "password": PASSWORD})  # fmt: skip
    elif action == "enrol":
        await timed(client, stats, action, "POST", f"/api/v1/courses/{course['slug']}/enrollment", expected=(200, 201),
                    headers=auth)  # fmt: skip
    elif action in ("lesson", "progress"):
        await timed(client, stats, "enrol", "POST", f"/api/v1/courses/{course['slug']}/enrollment", expected=(200, 201),
                    headers=auth)  # fmt: skip
        lesson_url = f"/api/v1/courses/{course['slug']}/lessons/{course['lesson']}"
        if action == "lesson":
            await timed(client, stats, action, "GET", lesson_url, headers=auth)
        else:
            # a lesson with a quiz is completed by passing it (409 quiz_not_passed otherwise):
            # there the learner's player only moves the position, as it does while they watch
            completed = rng.random() < 0.5 and not course["quiz"]
            body = {"completed": completed, "position_seconds": rng.randint(0, 600)}
            await timed(client, stats, action, "PUT", f"{lesson_url}/progress", headers=auth, json=body)
    elif action == "dashboard":
        await timed(page, stats, action, "GET", "/dashboard/")
    else:
        await timed(client, stats, action, "GET", "/api/v1/me/stats", headers=auth)


async def admin_step(world: World, client: httpx.AsyncClient, studio: httpx.AsyncClient, stats: Stats,
                     rng: random.Random) -> None:  # fmt: skip
    auth = {"Authorization": f"Bearer {world.admin_token}"}
    course = rng.choice(world.courses)
    action = rng.choices(["studio_list", "studio_course", "users", "audit", "edit_course", "course_admin_api"],
                         weights=[4, 4, 3, 3, 3, 3])[0]  # fmt: skip
    if action == "studio_list":
        await timed(studio, stats, action, "GET", "/studio/courses/")
    elif action == "studio_course":
        await timed(studio, stats, action, "GET", f"/studio/courses/{course['id']}/")
    elif action == "users":
        await timed(client, stats, action, "GET", "/api/v1/admin/users", headers=auth)
    elif action == "audit":
        await timed(client, stats, action, "GET", "/api/v1/admin/audit-logs", headers=auth)
    elif action == "course_admin_api":
        await timed(client, stats, action, "GET", f"/api/v1/courses/{course['slug']}", headers=auth)
    else:
        description = f"{course['description'][:2000]}\n\nSoak edit {rng.randint(0, 10**6)}."
        await timed(client, stats, action, "PATCH", f"/api/v1/courses/{course['slug']}", headers=auth,
                    json={"description": description})  # fmt: skip


async def traffic(world: World, *, seconds: float, concurrency: int, learner_email: list[str],
                  admin_email: str, admin_password: str, stats: Stats) -> None:  # fmt: skip
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency * 2)

    async def learner_user(index: int) -> None:
        rng = random.Random(index)
        token = world.learner_tokens[index % len(world.learner_tokens)]
        email = learner_email[index % len(learner_email)]
        page = await session_client(world.base, email, PASSWORD)
        try:
            async with httpx.AsyncClient(base_url=world.base, timeout=30, limits=limits) as client:
                while time.monotonic() < deadline:
                    await learner_step(world, client, page, token=token, email=email, stats=stats, rng=rng)
        finally:
            await page.aclose()

    async def admin_user(index: int) -> None:
        rng = random.Random(1000 + index)
        studio = await session_client(world.base, admin_email, admin_password)
        try:
            async with httpx.AsyncClient(base_url=world.base, timeout=30, limits=limits) as client:
                while time.monotonic() < deadline:
                    await admin_step(world, client, studio, stats, rng)
        finally:
            await studio.aclose()

    admins = max(1, concurrency // 4)
    await asyncio.gather(*(learner_user(i) for i in range(concurrency - admins)),
                         *(admin_user(i) for i in range(admins)))  # fmt: skip


# --- set-up and report ----------------------------------------------------------------------


def make_learners(cluster: Cluster) -> list[str]:
    emails = [f"soak.learner{index}@example.com" for index in range(LEARNERS)]
    cluster.shell(
        "from momentum.accounts.actions import do_create_user\n"
        "from momentum.accounts.models import User\n"
        f"for email in {emails!r}:\n"
        "    if not User.objects.filter(email=email).exists():\n"
        f"        do_create_user(email, {PASSWORD!r}, email_verified=True, display_name=email.split('@')[0])\n"
    )
    return emails


def discover(base: str, admin: tuple[str, str], learners: list[str]) -> World:
    with httpx.Client(base_url=base, timeout=30) as client:
        admin_token = client.post("/api/v1/auth/token", json={"email": admin[0], "password": admin[1]}).json()
        tokens = [
            client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD}).json()["access_token"]
            for email in learners
        ]
        listing = client.get("/api/v1/courses", params={"page_size": 50}).json()["items"]
        courses = []
        for item in listing:
            if item.get("is_premium"):
                continue
            detail = client.get(f"/api/v1/courses/{item['slug']}").json()
            lessons = detail.get("lessons") or []
            if lessons:
                courses.append({"slug": item["slug"], "id": detail["id"], "lesson": lessons[0]["id"],
                                "quiz": bool(lessons[0].get("has_quiz")),
                                "description": detail.get("description", "")})  # fmt: skip
    if not courses:
        raise RuntimeError("the demo catalogue has no free course with lessons")
    return World(base, courses, admin_token["access_token"], tokens)


def report(args: argparse.Namespace, stats: Stats, series: dict[str, list[tuple[float, float]]],
           elapsed: float) -> dict[str, Any]:  # fmt: skip
    warmup = min(60.0, elapsed * 0.1)  # the first minute fills caches and pools: not a leak
    memory = {}
    for label, points in sorted(series.items()):
        values = [v for _, v in points]
        steady = [(t, v) for t, v in points if t >= warmup] or points
        memory[label] = {
            "start_mib": values[0], "end_mib": values[-1], "max_mib": max(values),
            "slope_mib_per_min": round(slope_mib_per_min(steady), 3), "samples": len(values),
        }  # fmt: skip
    latency = {
        action: {"count": len(values), "p50_ms": round(statistics.median(values) * 1000, 1),
                 "p95_ms": round(percentile(values, 0.95) * 1000, 1)}
        for action, values in sorted(stats.latencies.items())
    }  # fmt: skip
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "setup": {"web_processes": args.web_processes, "workers": args.workers, "concurrency": args.concurrency,
                  "database": "PostgreSQL", "cache": "Redis", "cpus": os.cpu_count()},
        "requests": stats.requests,
        "requests_per_second": round(stats.requests / elapsed, 1) if elapsed else 0,
        "errors": len(stats.errors),
        "error_samples": stats.errors[:20],
        "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
        "by_action": dict(sorted(stats.by_action.items())),
        "latency": latency,
        "memory": memory,
    }  # fmt: skip


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"# Soak: {result['seconds']:.0f} s of mixed learner and admin traffic ({result['when']})",
        "",
        f"{result['setup']['web_processes']} web processes (`momentum serve`) + {result['setup']['workers']} workers "
        f"on PostgreSQL and Redis, {result['setup']['concurrency']} concurrent clients, "
        f"{result['setup']['cpus']} CPUs shared with the load generator. Produced by `make soak` (bench/soak.py).",
        "",
        f"- requests: **{result['requests']}** ({result['requests_per_second']} req/s)",
        f"- errors (any answer other than the expected one, or no answer): **{result['errors']}**",
        f"- statuses: {', '.join(f'{k}: {v}' for k, v in result['statuses'].items())}",
        "",
        "## Memory (resident set, MiB; slope after the first minute's warm-up)",
        "",
        "| process | start | end | max | slope MiB/min |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, m in result["memory"].items():
        lines.append(f"| {label} | {m['start_mib']} | {m['end_mib']} | {m['max_mib']} | {m['slope_mib_per_min']} |")
    lines += ["", "## Requests by action", "", "| action | count | p50 ms | p95 ms |", "| --- | ---: | ---: | ---: |"]
    for action, times in result["latency"].items():
        lines.append(f"| {action} | {times['count']} | {times['p50_ms']} | {times['p95_ms']} |")
    if result["error_samples"]:
        lines += ["", "## Errors (first 20)", ""] + [f"- {error}" for error in result["error_samples"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("SOAK_SECONDS", "600")))
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--web-processes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample-seconds", type=float, default=10)
    parser.add_argument(
        "--database-url", default=os.environ.get("SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/momentum")
    )
    parser.add_argument("--redis-url", default=os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="momentum-soak-") as root, \
            Cluster.on_postgres(Path(root), args.database_url, args.redis_url) as cluster:  # fmt: skip
        # One address sends all of the traffic: the per-IP and per-account budgets would cut it.
        cluster.env.update({"MOMENTUM_RATELIMIT_ANON": "1000000/m", "MOMENTUM_RATELIMIT_USER": "1000000/m",
                            "MOMENTUM_RATELIMIT_ADMIN": "1000000/m", "MOMENTUM_LOG_LEVEL": "ERROR"})  # fmt: skip
        print("soak: migrating and seeding the demo catalogue...", flush=True)
        cluster.migrate()
        cluster.run("seed-demo")
        learners = make_learners(cluster)
        web = cluster.start_web(processes=args.web_processes)
        roots = {"web": web.process.pid}
        for index in range(args.workers):
            roots[f"worker{index + 1}"] = cluster.start_worker().pid
        world = discover(web.url, DEMO_ADMIN, learners)
        print(f"soak: {args.seconds:.0f} s against {web.url}, {len(world.courses)} courses", flush=True)

        stats = Stats()
        series: dict[str, list[tuple[float, float]]] = defaultdict(list)

        async def run() -> float:
            stop = asyncio.Event()
            started = time.monotonic()
            sampler = asyncio.create_task(sample_memory(roots, args.sample_seconds, stop, started, series))
            await traffic(world, seconds=args.seconds, concurrency=args.concurrency, learner_email=learners,
                          admin_email=DEMO_ADMIN[0], admin_password=DEMO_ADMIN[1], stats=stats)  # fmt: skip
            stop.set()
            await sampler
            return time.monotonic() - started

        elapsed = asyncio.run(run())
        dead = [label for label, pid in roots.items() if _rss_mib(pid) is None]
        if dead:
            stats.errors.append(f"processes gone during the soak: {dead}")

    result = report(args, stats, series, elapsed)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"{datetime.now(UTC):%Y-%m-%d}-soak"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
