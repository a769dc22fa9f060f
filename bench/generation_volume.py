"""Generation at volume: N courses queued at once, run by 2 `momentum worker` processes.

    python -m bench.generation --courses 8 [--days 21] [--remote]

Offline providers by default (local text, no video, title-card thumbnail): reports courses per
hour (first job queued to last job finished) and the workers' CPU per course (utime + stime of
both worker processes from /proc, counted from when they are ready to when the last job ends).

``--remote``: the text comes from the Anthropic stand-in of the tests (a real HTTP server on
127.0.0.1 speaking the Messages API, momentum/generation/tests/fake_servers.py), so every
call is metered as a paid one; the report adds the tokens per course, split into input (our real
prompts) and output (the stand-in's text, shorter than a real model's: see the note in the
results), and their price at the list prices of ``LIST_PRICES``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TOPICS = ("Data analysis with Python and pandas", "Sleep better", "Spanish for travellers", "Household budgeting",
          "Introduction to statistics", "Public speaking", "Home composting", "Photography basics")  # fmt: skip


@dataclass(frozen=True)
class ListPrice:
    model: str
    input_per_mtok: Decimal
    output_per_mtok: Decimal
    source: str
    as_of: str


# USD per million tokens, as the vendors publish them. Figures as of the date given, from the
# vendor's pricing page named; they were not re-read on the day of a run (no network here).
LIST_PRICES: tuple[ListPrice, ...] = (
    ListPrice("claude-sonnet-4-5", Decimal("3.00"), Decimal("15.00"), "https://www.anthropic.com/pricing", "2025-10"),
    ListPrice("claude-haiku-4-5", Decimal("1.00"), Decimal("5.00"), "https://www.anthropic.com/pricing", "2025-10"),
    ListPrice("gpt-4o-mini", Decimal("0.15"), Decimal("0.60"), "https://openai.com/api/pricing", "2025-10"),
)
TARGET_USD_PER_COURSE = Decimal("1.00")  # issue 21: under $1 of text per course


def price(tokens_in: float, tokens_out: float, listed: ListPrice) -> Decimal:
    million = Decimal(1_000_000)
    cost = Decimal(str(tokens_in)) * listed.input_per_mtok + Decimal(str(tokens_out)) * listed.output_per_mtok
    return cost / million


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime


class Worker:
    """One `momentum worker` process; ``ready`` is set when it logs worker_ready."""

    def __init__(self, slot: int) -> None:
        self.ready = threading.Event()
        self.lines: list[str] = []
        env = {**os.environ, "MOMENTUM_EXECUTOR_ID": f"bench-volume-{slot}", "MOMENTUM_LOG_LEVEL": "INFO"}
        self.process = subprocess.Popen([sys.executable, "-m", "momentum.cli", "worker"], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if "worker_ready" in line:
                self.ready.set()

    def cpu(self) -> float:
        return _cpu_seconds(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def run(courses: int, days: int, admin: Any, *, remote: bool, timeout: float = 3600) -> dict[str, Any]:
    from django.db.models import Sum

    from momentum.catalog.models import Category
    from momentum.generation import actions
    from momentum.generation.models import GenerationJob, JobStatus, ProviderCall

    workers = [Worker(slot) for slot in (1, 2)]
    try:
        for worker in workers:
            if not worker.ready.wait(600):
                raise RuntimeError("a worker did not start:\n" + "".join(worker.lines[-20:]))
        cpu_start = sum(worker.cpu() for worker in workers)
        category = Category.objects.get(slug="technology")
        jobs = []
        for n in range(courses):
            topic = f"{TOPICS[n % len(TOPICS)]}, part {n + 1}"
            spec = actions.JobRequest(topic=topic, category=category, duration_days=days, include_video=False)
            jobs.append(actions.do_start_job(admin, spec)[0].pk)
        deadline = time.monotonic() + timeout
        done = {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}
        while GenerationJob.objects.filter(pk__in=jobs).exclude(status__in=done).exists():
            if time.monotonic() > deadline:
                raise RuntimeError("the jobs did not finish in time")
            time.sleep(0.5)  # a benchmark polling the database, not a test
        cpu_used = sum(worker.cpu() for worker in workers) - cpu_start
    finally:
        for worker in workers:
            worker.stop()
    finished = list(GenerationJob.objects.filter(pk__in=jobs))
    first = min(job.created_at for job in finished)
    last = max(job.finished_at or job.updated_at for job in finished)
    wall = (last - first).total_seconds()
    calls = ProviderCall.objects.filter(job_id__in=jobs, kind="text")
    totals = calls.aggregate(tokens_in=Sum("input_tokens"), tokens_out=Sum("output_tokens"), cost=Sum("cost_usd"))
    per_course_in = (totals["tokens_in"] or 0) / courses
    per_course_out = (totals["tokens_out"] or 0) / courses
    return {
        "courses": courses,
        "days": days,
        "remote": remote,
        "succeeded": sum(1 for job in finished if job.status == JobStatus.SUCCEEDED),
        "wall_seconds": round(wall, 2),
        "courses_per_hour": round(courses / wall * 3600, 1) if wall else None,
        "worker_cpu_seconds": round(cpu_used, 2),
        "worker_cpu_seconds_per_course": round(cpu_used / courses, 2),
        "text_calls_per_course": calls.count() / courses,
        "input_tokens_per_course": round(per_course_in),
        "output_tokens_per_course": round(per_course_out),
        "recorded_cost_per_course": float((totals["cost"] or Decimal(0)) / courses),
        "list_prices": [
            {
                "model": p.model,
                "input_per_mtok": float(p.input_per_mtok),
                "output_per_mtok": float(p.output_per_mtok),
                "source": p.source,
                "as_of": p.as_of,
                "usd_per_course": float(price(per_course_in, per_course_out, p)),
                "usd_per_course_output_x4": float(price(per_course_in, per_course_out * 4, p)),
            }
            for p in LIST_PRICES
        ],
    }


def markdown(document: dict[str, Any]) -> str:
    lines = [f"# Generation at volume {document['when']}", ""]
    for case in document["cases"]:
        kind = "Anthropic stand-in (local HTTP)" if case["remote"] else "offline (local text)"
        lines += [
            f"## {case['courses']} {case['days']}-day courses at once, 2 workers, text: {kind}, no video",
            "",
            f"- succeeded: {case['succeeded']} of {case['courses']}; wall {case['wall_seconds']} s "
            f"(first queued to last finished): **{case['courses_per_hour']} courses per hour**",
            f"- worker CPU: {case['worker_cpu_seconds']} s in all, "
            f"**{case['worker_cpu_seconds_per_course']} s per course** (both workers, /proc utime + stime)",
        ]
        if case["remote"] and case["succeeded"] < case["courses"]:
            lines += ["", "Not every job succeeded: no token or price figure is reported for this run."]
        elif case["remote"]:
            lines += [
                f"- text calls per course: {case['text_calls_per_course']:.1f}; tokens per course: "
                f"{case['input_tokens_per_course']:,} in, {case['output_tokens_per_course']:,} out",
                "",
                "| model (list price, USD / Mtok in, out) | as of, source | USD per course | "
                "with 4x the output | target < $1 |",
                "|---|---|---:|---:|:---:|",
            ]
            for listed in case["list_prices"]:
                met = "met" if listed["usd_per_course_output_x4"] < float(TARGET_USD_PER_COURSE) else "not met"
                lines.append(
                    f"| {listed['model']} ({listed['input_per_mtok']:.2f}, {listed['output_per_mtok']:.2f}) "
                    f"| {listed['as_of']}, {listed['source']} | {listed['usd_per_course']:.4f} "
                    f"| {listed['usd_per_course_output_x4']:.4f} | {met} |"
                )
            lines += [
                "",
                "Input tokens are our real prompts, counted by the stand-in (4 characters a token). Output "
                "tokens are the stand-in's answers, shorter than a real model's lessons: the column with 4x the "
                "output is the bound the target is judged on.",
            ]
        lines.append("")
    return "\n".join(lines)
