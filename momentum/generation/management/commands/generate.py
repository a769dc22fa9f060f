"""momentum generate --topic "..." --category slug --days 7 [--language es] [--pdf FILE] [--no-video]: generate a
draft course from the command line, printing each step as it ends and the draft's URL.

The topic and the category are checked before any job starts: an empty topic is refused, and the
category is never guessed (asked for at a terminal, required otherwise).

The job runs in this process (it launches the workflow engine with an executor ID of its own), so
no worker needs to be running; a crash of this command leaves the job to be resumed like any other.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from momentum.accounts.models import Role, User
from momentum.catalog.models import DURATIONS, Category, Level
from momentum.generation import actions
from momentum.generation.models import GenerationJob, GenerationStep, Language
from momentum.lib.problems import Problem
from momentum.platform import durable

POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = "Generate a draft course from a topic (and reference PDFs); prints progress and the draft's URL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--topic", required=True)
        parser.add_argument("--days", type=int, choices=DURATIONS, default=7)
        parser.add_argument("--category", default="", help="category slug (asked for at a terminal when left out)")
        parser.add_argument("--level", choices=Level.values, default=Level.BEGINNER)
        parser.add_argument(
            "--language", choices=Language.values, default=Language.EN,
            help="the language the course is written, narrated and captioned in",
        )  # fmt: skip
        parser.add_argument("--audience", default="")
        parser.add_argument("--tone", default="")
        parser.add_argument("--pdf", action="append", default=[], help="a reference PDF (repeatable)")
        parser.add_argument("--no-video", action="store_true")
        parser.add_argument("--no-thumbnail", action="store_true")
        parser.add_argument("--no-quizzes", action="store_true", help="write no quiz for the lessons")
        parser.add_argument("--admin", default="", help="the admin's email (default: the first admin)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            topic = actions.clean_topic(options["topic"])
        except Problem as problem:
            raise CommandError(f"--{problem.detail}") from None
        admin = self._admin(options["admin"])
        category = self._category(options["category"])
        try:
            documents = [self._reference(Path(path), admin) for path in options["pdf"]]
            spec = actions.JobRequest(
                topic=topic, category=category, duration_days=options["days"], level=options["level"],
                language=options["language"],
                audience=options["audience"], tone=options["tone"], include_video=not options["no_video"],
                include_thumbnail=not options["no_thumbnail"], include_quizzes=not options["no_quizzes"],
                reference_documents=documents,
            )  # fmt: skip
            launched_here = not durable.is_launched()  # in a worker's process (or a test), DBOS runs already
            if launched_here:
                durable.launch(f"cli-{os.getpid()}")
            job, _ = actions.do_start_job(admin, spec)
        except Problem as problem:
            raise CommandError(problem.detail) from None
        self.stdout.write(f"Job {job.pk}: {job.duration_days}-day course on “{job.topic}”")
        try:
            job = self._follow(job)
        finally:
            if launched_here:
                durable.shutdown()
        if job.status != "SUCCEEDED":
            raise CommandError(f"The job ended {job.status}: {job.error}")
        for warning in job.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        url = settings.SITE_URL + reverse("catalog:studio_course", args=[job.course_id])
        self.stdout.write(self.style.SUCCESS(f"Draft ready (cost ${job.cost_usd:.4f}): {url}"))

    def _category(self, slug: str) -> Category:
        slugs = list(Category.objects.order_by("name").values_list("slug", flat=True))
        if not slug and sys.stdin.isatty():
            slug = input(f"Category ({', '.join(slugs)}): ").strip()
        if not slug:
            raise CommandError(f"Choose the course's category with --category, one of: {', '.join(slugs)}")
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            raise CommandError(f"No category {slug!r}; one of: {', '.join(slugs)}")
        return category

    def _admin(self, email: str) -> User:
        admins = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id")
        admin = admins.filter(email=email).first() if email else admins.first()
        if admin is None:
            raise CommandError("No admin account: create one with `momentum create-admin` (or pass --admin).")
        return admin

    def _reference(self, path: Path, admin: User) -> Any:
        from momentum.generation.references.actions import do_store_reference_document

        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as handle:
            upload = File(handle, name=path.name)
            upload.size = path.stat().st_size
            return do_store_reference_document(upload, actor=admin).document

    def _follow(self, job: GenerationJob) -> GenerationJob:
        seen: dict[str, str] = {}
        while True:
            for step in GenerationStep.objects.filter(job=job).order_by("position"):
                if step.status in ("SUCCEEDED", "FAILED") and seen.get(step.name) != step.status:
                    seen[step.name] = step.status
                    mark = "ok" if step.status == "SUCCEEDED" else "FAILED"
                    detail = f" ({step.error})" if step.error else ""
                    self.stdout.write(f"  {step.name:<12} {mark}  attempts {step.attempts}{detail}")
            job.refresh_from_db()
            if job.status in actions.FINISHED:
                return job
            time.sleep(POLL_SECONDS)
