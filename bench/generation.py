"""Generation benchmark: how long an OFFLINE course generation takes, in total and step by step.

    python -m bench.generation [--durations 7,14,21] [--no-video-only] [--database-url URL]

Each case is a real job run the way `momentum generate` runs one (the management command, with the
workflow engine in this process), on the default offline providers: local text, slides video
(espeak-ng + ffmpeg), local title-card thumbnail. For each duration the job runs with and without
video (only without with --no-video-only). The times come from the job's GenerationStep rows
(started_at/finished_at, attempts). Runs on the embedded default, SQLite in a scratch data folder
(var/bench-generation, removed and migrated fresh each run; the dev server's var/ is not touched),
unless --database-url is given. Results: bench/results/<UTC stamp>-generation.json and .md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DATA_DIR = ROOT / "var" / "bench-generation"
CATEGORY = "technology"
TOPIC = "Data analysis with Python and pandas"
CONTENT_BENCH = "bench/content.py"  # slide rendering and PDF extraction, measured on their own


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    return None if start is None or end is None else round((end - start).total_seconds(), 3)


def _group(steps: list[Any], prefix: str) -> dict[str, Any]:
    """Sum, max and wall time (first start to last finish) of the steps named ``prefix``<n>."""
    timed = [s for s in steps if s.name.startswith(prefix) and s.started_at and s.finished_at]
    durations = [_seconds(s.started_at, s.finished_at) or 0.0 for s in timed]
    return {
        "count": len(timed),
        "sum": round(sum(durations), 3),
        "max": round(max(durations), 3) if durations else 0.0,
        "wall": _seconds(min(s.started_at for s in timed), max(s.finished_at for s in timed)) if timed else 0.0,
        "attempts": sum(s.attempts for s in steps if s.name.startswith(prefix)),
    }


def run_case(days: int, *, video: bool, admin: Any) -> dict[str, Any]:
    """Generate one ``days``-day course (with or without video) through `momentum generate`.

    Django must be set up and the workflow engine may already run in this process (the command
    launches it otherwise). The slides provider's render cache is emptied first, so every video
    of every case is really rendered.
    """
    from django.conf import settings
    from django.core.management import call_command

    from momentum.generation.models import GenerationJob

    shutil.rmtree(Path(settings.DATA_DIR) / "generation" / "slides", ignore_errors=True)
    options = ["--topic", TOPIC, "--days", str(days), "--category", CATEGORY, "--admin", admin.email]
    begun = time.perf_counter()
    call_command("generate", *options, *([] if video else ["--no-video"]), stdout=io.StringIO())
    command_seconds = round(time.perf_counter() - begun, 3)
    job = GenerationJob.objects.filter(created_by=admin).order_by("-created_at").first()
    assert job is not None  # the command succeeded, so its job exists
    steps = list(job.steps.order_by("position"))
    by_name = {s.name: s for s in steps}

    def single(name: str) -> float | None:
        step = by_name[name]
        return _seconds(step.started_at, step.finished_at)

    return {
        "days": days,
        "video": video,
        "job_id": str(job.pk),
        "status": job.status,
        "warnings": job.warnings,
        "total_seconds": _seconds(job.created_at, job.finished_at),  # queued to finished
        "running_seconds": _seconds(job.started_at, job.finished_at),  # picked up by the engine to finished
        "command_seconds": command_seconds,  # the command's wall time (it polls the job every 0.5 s)
        "steps": {
            "validate": single("validate"),
            "references": single("references"),
            "outline": single("outline"),
            "lessons": _group(steps, "lesson-"),
            "quizzes": _group(steps, "quiz-"),
            "videos": _group(steps, "video-"),
            "thumbnail": single("thumbnail"),
            "save": single("save"),
            "notify": single("notify"),
        },
        "attempts": sum(s.attempts for s in steps),
        "per_step": [
            {
                "name": s.name,
                "status": s.status,
                "attempts": s.attempts,
                "seconds": _seconds(s.started_at, s.finished_at),
            }
            for s in steps
        ],
    }


def _version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    lines = (done.stdout or done.stderr).strip().splitlines()
    first = lines[0] if lines else "unknown"
    return first.split(" Copyright")[0].split("  Data at")[0].strip()


def machine() -> dict[str, Any]:
    from django.conf import settings

    return {
        "cpus": os.cpu_count(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "ffmpeg": _version(["ffmpeg", "-hide_banner", "-version"]),
        "espeak_ng": _version(["espeak-ng", "--version"]),
        "database": settings.DATABASE_VENDOR,
        "queue_poll_seconds": settings.QUEUE_POLL_SECONDS,
        "providers": {"text": settings.TEXT_PROVIDER, "video": settings.VIDEO_PROVIDER,
                      "thumbnail": settings.THUMBNAIL_PROVIDER},
    }  # fmt: skip


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def markdown(document: dict[str, Any]) -> str:
    host = document["machine"]
    load = ", ".join(f"{value:.2f}" for value in host["load_average"])
    lines = [
        f"# Generation benchmark {document['when']}",
        "",
        f"Offline course generation (providers: text {host['providers']['text']}, video "
        f"{host['providers']['video']}, thumbnail {host['providers']['thumbnail']}) through `momentum generate`, "
        f"on {host['database']}; {host['cpus']} CPU(s), load average {load} at start; "
        f"queue poll interval {host['queue_poll_seconds']} s.",
        f"ffmpeg: {host['ffmpeg']}; espeak-ng: {host['espeak_ng']}; Python {host['python']}.",
        "",
        "Seconds. Total: from the job being queued to its end. Lessons and videos run in parallel "
        "(text queue 4, media queue 2 per worker): sum, longest one, and wall time (first start to last end).",
        "",
        "| days | video | total | outline | lessons sum | lessons max | lessons wall | videos sum | videos max "
        "| videos wall | thumbnail | save | attempts |",
        "|---:|:---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in document["cases"]:
        steps, lessons, videos = case["steps"], case["steps"]["lessons"], case["steps"]["videos"]
        no_video = not case["video"]
        lines.append(
            f"| {case['days']} | {'yes' if case['video'] else 'no'} | {_cell(case['total_seconds'])} "
            f"| {_cell(steps['outline'])} | {_cell(lessons['sum'])} | {_cell(lessons['max'])} "
            f"| {_cell(lessons['wall'])} | {_cell(None if no_video else videos['sum'])} "
            f"| {_cell(None if no_video else videos['max'])} | {_cell(None if no_video else videos['wall'])} "
            f"| {_cell(steps['thumbnail'])} | {_cell(steps['save'])} | {case['attempts']} |"
        )
    lines += [
        "",
        "Every step of every job is in the JSON file beside this one. The slide rendering and PDF text "
        f"extraction inside these steps are measured on their own by [{CONTENT_BENCH}](../content.py).",
        "",
    ]
    return "\n".join(lines)


def write_results(cases: list[dict[str, Any]], host: dict[str, Any], directory: Path = RESULTS) -> tuple[Path, Path]:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S")
    document = {"benchmark": "generation", "when": stamp, "machine": host, "cases": cases}
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"{stamp}-generation.json"
    md_path = directory / f"{stamp}-generation.md"
    json_path.write_text(json.dumps(document, indent=2) + "\n")
    md_path.write_text(markdown(document))
    return json_path, md_path


def _prepare_environment(database_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "momentum.settings",
            "MOMENTUM_ENV": "dev",
            "MOMENTUM_DEBUG": "false",
            "MOMENTUM_LOG_LEVEL": "WARNING",
            "MOMENTUM_DATA_DIR": str(DATA_DIR),
            "MOMENTUM_DOTENV": os.devnull,
        }
    )
    for name in ("REDIS_URL", "DBOS_SYSTEM_DATABASE_URL", "MOMENTUM_MEDIA_ROOT", "MOMENTUM_STORAGE_BACKEND"):
        os.environ.pop(name, None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--durations", default="7,14,21", help="comma-separated course lengths in days")
    parser.add_argument("--no-video-only", action="store_true", help="skip the cases with video")
    parser.add_argument("--database-url", default="", help="run on this database instead of a scratch SQLite")
    parser.add_argument(
        "--courses",
        type=int,
        default=0,
        help="generation at volume: this many courses queued at once, run by 2 worker processes",
    )
    parser.add_argument("--days", type=int, default=21, choices=(7, 14, 21), help="with --courses: their length")
    parser.add_argument("--remote", action="store_true",
                        help="with --courses: also a run with text from the Anthropic stand-in, priced")  # fmt: skip
    parser.add_argument("--remote-only", action="store_true", help="with --courses: only the stand-in's run")
    args = parser.parse_args(argv)
    durations = [int(value) for value in args.durations.split(",") if value.strip()]
    if any(days not in (7, 14, 21) for days in durations):
        parser.error("--durations: a course lasts 7, 14 or 21 days")

    from django.apps import apps

    if apps.ready:  # Django runs here with another benchmark's settings (`make bench`): a process of our own
        return subprocess.call([sys.executable, "-m", "bench.generation", *(argv or [])], cwd=ROOT)

    _prepare_environment(args.database_url)
    if args.courses:
        return _volume(args)
    if not args.database_url:
        shutil.rmtree(DATA_DIR, ignore_errors=True)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    host_at_start = {"load_average": os.getloadavg()}
    import django

    django.setup()
    from django.core.management import call_command

    from momentum.accounts.actions import do_ensure_admin
    from momentum.platform import durable

    call_command("migrate", verbosity=0)
    durable.migrate_system_database()
    admin, _ = do_ensure_admin(f"bench-generation-{secrets.token_hex(4)}@momentum.localhost", secrets.token_urlsafe(24))
    host = {**machine(), "load_average": [round(value, 2) for value in host_at_start["load_average"]]}
    cases = []
    durable.launch(f"bench-generation-{os.getpid()}")
    try:
        for days in durations:
            for video in [False] if args.no_video_only else [False, True]:
                print(f"Generating a {days}-day course {'with' if video else 'without'} video...", flush=True)
                case = run_case(days, video=video, admin=admin)
                print(f"  {case['total_seconds']:.2f} s", flush=True)
                cases.append(case)
    finally:
        durable.shutdown()
    json_path, md_path = write_results(cases, host)
    print(md_path.read_text())
    print(f"Results: {json_path.relative_to(ROOT)} and {md_path.relative_to(ROOT)}")
    return 0


def _volume(args: argparse.Namespace) -> int:
    """``--courses N``: each case on a fresh scratch data folder (offline, then the remote stand-in)."""
    from bench import generation_volume

    cases = []
    for remote in [True] if args.remote_only else [False, True] if args.remote else [False]:
        shutil.rmtree(DATA_DIR, ignore_errors=True)
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        # a process of its own per case: settings (the text provider) are read once per process
        command = [sys.executable, "-c", "import sys; from bench.generation import _volume_case; "
                   f"sys.exit(_volume_case({args.courses}, {args.days}, {remote}))"]  # fmt: skip
        if subprocess.call(command, cwd=ROOT) != 0:
            return 1
        cases.append(json.loads((DATA_DIR / "volume-case.json").read_text()))
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S")
    document = {"benchmark": "generation_volume", "when": stamp, "cpus": os.cpu_count(), "cases": cases}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stamp}-generation-volume.json").write_text(json.dumps(document, indent=2) + "\n")
    text = generation_volume.markdown(document)
    (RESULTS / f"{stamp}-generation-volume.md").write_text(text)
    print(text)
    return 0


def _volume_case(courses: int, days: int, remote: bool) -> int:
    from momentum.generation.tests.fake_servers import FakeProvider

    fake = FakeProvider("anthropic").start() if remote else None
    if fake is not None:
        # the stand-in listens on 127.0.0.1, which provider addresses may name only when allowed
        os.environ.update({"MOMENTUM_TEXT_PROVIDER": "anthropic", "MOMENTUM_ANTHROPIC_API_KEY": fake.api_key or "",
                           "MOMENTUM_ANTHROPIC_BASE_URL": fake.url,
                           "MOMENTUM_ALLOW_PRIVATE_PROVIDER_URLS": "true"})  # fmt: skip
    os.environ["MOMENTUM_WORKFLOW_SCHEDULES"] = "false"
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from bench import generation_volume
        from momentum.accounts.actions import do_ensure_admin
        from momentum.platform import durable

        call_command("migrate", verbosity=0)
        durable.migrate_system_database()
        admin, _ = do_ensure_admin("bench-volume@momentum.localhost", secrets.token_urlsafe(24))
        case = generation_volume.run(courses, days, admin, remote=remote)
    finally:
        if fake is not None:
            fake.stop()
    (DATA_DIR / "volume-case.json").write_text(json.dumps(case, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
