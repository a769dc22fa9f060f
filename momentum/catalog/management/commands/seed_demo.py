"""momentum seed-demo: a realistic demo catalogue and two demo accounts. Idempotent.

Loads the courses in momentum/catalog/demo/*.json (24 courses in English over the six categories
and the three durations, and a few in Spanish and Arabic, every lesson written out), renders each
course's thumbnail, marks the first day of every course as a free preview, publishes everything,
and creates a demo admin and a demo learner whose credentials it prints.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from momentum.accounts.actions import do_create_user, do_ensure_admin
from momentum.accounts.models import Role, User
from momentum.catalog.actions import do_create_course, do_publish_course, do_set_thumbnail, do_upsert_lesson
from momentum.catalog.models import DEFAULT_LANGUAGE, Category, Course, Level, Pacing
from momentum.generation.providers.offline.title_card import render_title_card

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_ADMIN = ("admin@momentum.localhost", "momentum-admin-demo")
DEMO_LEARNER = ("learner@momentum.localhost", "momentum-learner-demo")
DEMO_INSTRUCTOR = ("instructor@momentum.localhost", "momentum-instructor-demo")
DEMO_INSTRUCTOR_COURSE = "sketching-for-beginners"  # the one demo course the demo instructor owns


def demo_modules() -> list[str]:
    """After the catalogue, the ``demo`` module of each other installed Momentum app that has one
    seeds that app's demo activity with ``seed(*, admin, learner, stdout)`` (idempotent), in
    INSTALLED_APPS order. The catalogue's own ``demo`` folder holds the courses loaded here."""
    return [
        f"{app.name}.demo"
        for app in apps.get_app_configs()
        if app.name.startswith("momentum.")
        and app.name != "momentum.catalog"
        and importlib.util.find_spec(f"{app.name}.demo") is not None
    ]


def demo_courses() -> list[dict[str, Any]]:
    courses: list[dict[str, Any]] = []
    for path in sorted(DEMO_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        courses.extend({**course, "category": data["category"]} for course in data["courses"])
    return courses


class Command(BaseCommand):
    help = "Load the demo catalogue and demo accounts (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="do nothing when the demo is already loaded")
        parser.add_argument("--allow-deployed", action="store_true", help="allow seeding staging or prod")

    def handle(self, *args: Any, once: bool, allow_deployed: bool, **options: Any) -> None:
        if settings.DEPLOYED and not allow_deployed:
            raise CommandError(
                f"seed-demo creates accounts with published passwords; refusing on {settings.MOMENTUM_ENV} "
                "(pass --allow-deployed if you really mean it)."
            )
        if once and Course.objects.filter(metadata__demo=True).exists():
            self.stdout.write("The demo is already loaded.")
            self._print_accounts()
            return
        courses = demo_courses()
        if not courses:
            raise CommandError(f"No demo courses found in {DEMO_DIR}")
        admin = self._accounts()
        now = timezone.now()
        for index, spec in enumerate(courses):
            # Spread creation dates over two months so "newest" has an order worth seeing.
            self._course(spec, admin, created_at=now - timedelta(days=2 * (len(courses) - index), hours=index))
        self.stdout.write(self.style.SUCCESS(f"Demo catalogue ready: {len(courses)} published courses."))
        learner = User.objects.get(email=DEMO_LEARNER[0])
        for name in demo_modules():
            importlib.import_module(name).seed(admin=admin, learner=learner, stdout=self.stdout)
        self._print_accounts()

    def _accounts(self) -> User:
        admin, _ = do_ensure_admin(*DEMO_ADMIN)
        if not admin.display_name:
            admin.display_name = "Demo Admin"
            admin.save(update_fields=["display_name", "updated_at"])
        if not User.objects.filter(email=DEMO_LEARNER[0]).exists():
            do_create_user(DEMO_LEARNER[0], DEMO_LEARNER[1], display_name="Demo Learner", email_verified=True)
        if not User.objects.filter(email=DEMO_INSTRUCTOR[0]).exists():
            do_create_user(
                DEMO_INSTRUCTOR[0], DEMO_INSTRUCTOR[1], display_name="Demo Instructor", email_verified=True,
                role=Role.INSTRUCTOR,
            )  # fmt: skip
        return admin

    @transaction.atomic
    def _course(self, spec: dict[str, Any], admin: User, *, created_at: Any) -> Course:
        category = Category.objects.get(slug=spec["category"])
        course = Course.objects.filter(slug=spec["slug"]).first()
        fields = {
            "title": spec["title"],
            "description": spec["description"],
            "duration_days": spec["duration_days"],
            "level": spec["level"],
            # Demo courses follow at the learner's pace unless their file says DAILY (the demo's
            # daily-paced course, whose cohort learning/demo.py opens for next week).
            "pacing": spec.get("pacing", Pacing.SELF_PACED),
            # A few demo courses are written in Spanish or Arabic (their file says so).
            "language": spec.get("language", DEFAULT_LANGUAGE),
            "is_premium": spec["is_premium"],
            "price_cents": spec["price_cents"],
        }
        if course is None:
            author = admin
            if spec["slug"] == DEMO_INSTRUCTOR_COURSE:  # made by the demo instructor: they own it
                author = User.objects.get(email=DEMO_INSTRUCTOR[0])
            course = do_create_course(
                slug=spec["slug"], category=category, metadata={"demo": True}, actor=author, **fields
            )
            Course.objects.filter(pk=course.pk).update(created_at=created_at)
        else:
            Course.objects.filter(pk=course.pk).update(category=category, **fields)
            course.refresh_from_db()
        for lesson in spec["lessons"]:
            do_upsert_lesson(
                course,
                day=lesson["day"],
                actor=admin,
                title=lesson["title"],
                content_markdown=lesson["content_markdown"],
                duration_minutes=lesson["duration_minutes"],
                is_preview=lesson["day"] == 1,
            )
        if not course.thumbnail:
            level = Level(spec["level"]).label
            png = render_title_card(
                course.title,
                category=category.name,
                color=category.color,
                accent=category.accent,
                subtitle=f"{course.duration_days} days · {level}",
            )
            do_set_thumbnail(course, png, actor=admin)
        return do_publish_course(course, actor=admin)

    def _print_accounts(self) -> None:
        self.stdout.write("Demo accounts (sign in at /accounts/login/):")
        self.stdout.write(f"  admin    {DEMO_ADMIN[0]} / {DEMO_ADMIN[1]}")
        self.stdout.write(f"  learner  {DEMO_LEARNER[0]} / {DEMO_LEARNER[1]}")
        self.stdout.write(
            f"  instructor  {DEMO_INSTRUCTOR[0]} / {DEMO_INSTRUCTOR[1]} (owns “{DEMO_INSTRUCTOR_COURSE}”)"
        )
