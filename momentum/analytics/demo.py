"""Demo activity for the studio's dashboards: a believable population of learners.

``momentum seed-demo`` calls ``seed`` after loading the catalogue. It creates 48 learners with
demographics who signed up over the last 60 days, enrolled in demo courses (paying for the
premium ones; one payment was refunded), followed their lessons day by day with realistic
drop-off, and sometimes finished; plus a handful of AI generation jobs with their provider
calls and costs. Every row is written together with the learning event the real action would
have recorded, at the time it happened, so the dashboards (which read the events' rollups)
agree with the tables. Deterministic (a fixed seed, dates relative to today) and idempotent:
a second run finds the population and only brings the rollups up to date.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from momentum.accounts.models import Role, User
from momentum.analytics.models import EventKind, LearningEvent

DOMAIN = "people.momentum.localhost"
SEED = 20261124
DAYS = 60

PEOPLE = [
    ("Amara Okafor", "NG", "Africa/Lagos"), ("Lucas Martin", "FR", "Europe/Paris"),
    ("Sofia Rossi", "IT", "Europe/Rome"), ("Kenji Watanabe", "JP", "Asia/Tokyo"),
    ("Priya Nair", "IN", "Asia/Kolkata"), ("Mateo García", "ES", "Europe/Madrid"),
    ("Hannah Schmidt", "DE", "Europe/Berlin"), ("Olivia Brown", "GB", "Europe/London"),
    ("Noah Wilson", "US", "America/New_York"), ("Emma Johansson", "SE", "Europe/Stockholm"),
    ("Ana Souza", "BR", "America/Sao_Paulo"), ("Wei Zhang", "CN", "Asia/Shanghai"),
    ("Fatima Zahra", "MA", "Africa/Casablanca"), ("Liam O'Connor", "IE", "Europe/Dublin"),
    ("Chloé Dubois", "CA", "America/Toronto"), ("Diego Hernández", "MX", "America/Mexico_City"),
    ("Aisha Bello", "NG", "Africa/Lagos"), ("Jonas Becker", "DE", "Europe/Berlin"),
    ("Mia Novak", "CZ", "Europe/Prague"), ("Arjun Mehta", "IN", "Asia/Kolkata"),
    ("Grace Kim", "KR", "Asia/Seoul"), ("Ethan Clarke", "AU", "Australia/Sydney"),
    ("Zoe Papadopoulos", "GR", "Europe/Athens"), ("Samuel Mensah", "GH", "Africa/Accra"),
    ("Isabella Costa", "PT", "Europe/Lisbon"), ("Yusuf Demir", "TR", "Europe/Istanbul"),
    ("Lea Müller", "CH", "Europe/Zurich"), ("Oscar Lindqvist", "SE", "Europe/Stockholm"),
    ("Nora Haddad", "LB", "Asia/Beirut"), ("Tomás Silva", "BR", "America/Sao_Paulo"),
    ("Hana Sato", "JP", "Asia/Tokyo"), ("Daniel Cohen", "IL", "Asia/Jerusalem"),
    ("Eva Kowalska", "PL", "Europe/Warsaw"), ("Kwame Asante", "GH", "Africa/Accra"),
    ("Julia Fischer", "AT", "Europe/Vienna"), ("Ryan Patel", "GB", "Europe/London"),
    ("Camila Torres", "CO", "America/Bogota"), ("Mohammed Al-Sayed", "EG", "Africa/Cairo"),
    ("Sara Lindgren", "FI", "Europe/Helsinki"), ("Ben Carter", "US", "America/Chicago"),
    ("Leila Rahimi", "DE", "Europe/Berlin"), ("Jack Thompson", "NZ", "Pacific/Auckland"),
    ("Valentina López", "AR", "America/Argentina/Buenos_Aires"), ("Ibrahim Diallo", "SN", "Africa/Dakar"),
    ("Maya Singh", "CA", "America/Vancouver"), ("Felix Wagner", "DE", "Europe/Berlin"),
    ("Lucy Evans", "US", "America/Los_Angeles"), ("Ahmed Khan", "PK", "Asia/Karachi"),
]  # fmt: skip
AGES = [("18_24", 5), ("25_34", 9), ("35_44", 6), ("45_54", 3), ("55_64", 2), ("65_plus", 1), ("", 2)]
GENDERS = [("female", 10), ("male", 10), ("non_binary", 1), ("", 2)]
EDUCATION = [("secondary", 3), ("vocational", 2), ("bachelor", 8), ("master", 5), ("doctorate", 1), ("", 2)]
OCCUPATIONS = [
    "Nurse",
    "Software developer",
    "Teacher",
    "Student",
    "Designer",
    "Accountant",
    "Project manager",
    "Retired",
    "Chef",
    "Sales manager",
    "Researcher",
    "Freelance writer",
    "",
]
GENERATION_RUNS = [
    # (a demo course the job produced, days ago, status, cost of text, video, thumbnail)
    ("cybersecurity-hygiene-in-7-days", 41, "SUCCEEDED", "0.084", "1.75", "0.04"),
    ("mindful-breathing-for-everyday-calm", 33, "SUCCEEDED", "0.079", "1.75", "0.04"),
    ("sql-for-analysts", 26, "SUCCEEDED", "0.191", "3.50", "0.04"),
    (None, 19, "FAILED", "0.012", "0", "0"),
    ("music-theory-basics", 12, "SUCCEEDED", "0.176", "0", "0.04"),
    ("everyday-japanese-phrases", 4, "SUCCEEDED", "0.262", "5.25", "0.04"),
    (None, 1, "FAILED", "0.008", "0", "0"),
]


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in options], weights=[weight for _, weight in options])[0]


def seed(*, admin: User, learner: User, stdout: Any) -> None:
    from momentum.analytics.actions import do_roll_up

    if User.objects.filter(email__endswith=f"@{DOMAIN}").exists():
        stdout.write("Demo learners already present.")
    else:
        counts = _Population(admin, timezone.now()).populate()
        stdout.write(
            f"Demo activity ready: {counts['learners']} learners, {counts['enrollments']} enrolments, "
            f"{counts['completions']} completed courses, {counts['payments']} payments, "
            f"{counts['jobs']} generation jobs."
        )
    report = do_roll_up()
    stdout.write(f"Analytics rolled up: {report.days_recomputed} days.")


class _Population:
    """Writes the demo population; events and progress rows are written in bulk at the end."""

    def __init__(self, admin: User, now: datetime) -> None:
        self.admin = admin
        self.now = now
        self.rng = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
        self.events: list[LearningEvent] = []
        self.progress: list[Any] = []
        self.counts = {"learners": 0, "enrollments": 0, "completions": 0, "payments": 0, "jobs": 0}

    def event(self, kind: EventKind, when: datetime, user: User | None, **fields: Any) -> None:
        self.events.append(LearningEvent(kind=kind, occurred_at=when, user=user, **fields))

    @transaction.atomic
    def populate(self) -> dict[str, int]:
        from momentum.catalog.models import Course, Status

        courses = list(Course.objects.filter(metadata__demo=True, status=Status.PUBLISHED).order_by("slug"))
        if not courses:
            return self.counts
        popularity = [self.rng.randint(1, 6) for _ in courses]
        for index, (name, country, zone) in enumerate(PEOPLE):
            person = self.person(index, name, country, zone)
            if not person.email_verified:
                continue  # unverified people cannot enrol
            start = person.created_at + timedelta(hours=self.rng.uniform(0.2, 30))
            taken: set[int] = set()
            for _ in range(self.rng.choices([1, 2, 3], weights=[6, 3, 1])[0]):
                course = self.rng.choices(courses, weights=popularity)[0]
                if start >= self.now or course.pk in taken:
                    continue
                taken.add(course.pk)
                finished_at = self.follow(person, course, start)
                start = (finished_at or start) + timedelta(days=self.rng.uniform(1, 9))
            seen = max((e.occurred_at for e in self.events if e.user_id == person.pk), default=person.created_at)
            User.objects.filter(pk=person.pk).update(last_seen_at=seen)
        self.counts["jobs"] = self.generation_jobs()
        self.write()
        return self.counts

    def person(self, index: int, name: str, country: str, zone: str) -> User:
        from momentum.accounts.actions import do_create_user

        rng = self.rng
        signed_up = self.now - timedelta(days=rng.uniform(0.2, DAYS), hours=rng.uniform(0, 3))
        first, _, last = name.partition(" ")
        email = f"{first.lower()}.{last.lower().replace(chr(39), '')}@{DOMAIN}".encode("ascii", "ignore").decode()
        person = do_create_user(
            email,
            None,
            display_name=name,
            email_verified=rng.random() > 0.08,
            role=Role.PREMIUM if index % 11 == 5 else Role.FREE,
            timezone=zone,
            country=country,
            age_range=_weighted(rng, AGES),
            gender=_weighted(rng, GENDERS),
            education=_weighted(rng, EDUCATION),
            occupation=rng.choice(OCCUPATIONS),
        )
        User.objects.filter(pk=person.pk).update(created_at=signed_up)
        LearningEvent.objects.filter(user=person, kind=EventKind.SIGNED_UP).update(occurred_at=signed_up)
        person.created_at = signed_up
        self.counts["learners"] += 1
        return person

    def follow(self, person: User, course: Any, start: datetime) -> datetime | None:
        """Enrol ``person`` at ``start`` (paying first for a premium course) and take lessons a day at
        a time until they stop, finish, or reach today. Returns when they finished, if they did."""
        from momentum.learning.models import Enrollment, LessonProgress

        rng = self.rng
        if course.is_premium and not person.is_premium:
            if rng.random() < 0.35:
                return None  # looked at the price and left
            self.purchase(person, course, start - timedelta(minutes=4))
        enrollment = Enrollment.objects.create(user=person, course=course, enrolled_at=start)
        self.event(EventKind.ENROLLED, start, person, course=course)
        self.counts["enrollments"] += 1
        local = ZoneInfo(person.timezone)
        keep_going = rng.uniform(0.84, 0.99)
        when = start + timedelta(minutes=rng.uniform(5, 90))
        last: datetime | None = None
        lessons = list(course.lessons.order_by("day"))
        done = 0
        for lesson in lessons:
            if when >= self.now:
                break
            opened = when - timedelta(minutes=lesson.duration_minutes)
            self.event(EventKind.LESSON_VIEWED, opened, person, course=course, lesson=lesson)
            self.progress.append(
                LessonProgress(
                    user=person,
                    lesson=lesson,
                    course=course,
                    completed=True,
                    completed_at=when,
                    completed_on=when.astimezone(local).date(),
                    position_seconds=lesson.duration_minutes * 60,
                    created_at=opened,
                )
            )
            self.event(
                EventKind.LESSON_COMPLETED, when, person, course=course, lesson=lesson, value=lesson.duration_minutes
            )
            last, done = when, done + 1
            if rng.random() > keep_going:
                break
            when += timedelta(days=rng.choices([1, 2, 3], weights=[8, 2, 1])[0], minutes=rng.uniform(-90, 90))
        finished = done == len(lessons)
        Enrollment.objects.filter(pk=enrollment.pk).update(
            last_activity_at=last, completed_at=last if finished else None
        )
        if finished and last is not None:
            self.event(EventKind.COURSE_COMPLETED, last, person, course=course)
            self.counts["completions"] += 1
            return last
        return None

    def purchase(self, person: User, course: Any, paid_at: datetime) -> None:
        from momentum.billing.models import Entitlement, EntitlementKind, Payment, PaymentStatus, Product, Provider

        self.counts["payments"] += 1
        refunded_at = paid_at + timedelta(days=2) if self.counts["payments"] == 3 else None  # one changed their mind
        payment = Payment.objects.create(
            user=person,
            product=Product.COURSE,
            course=course,
            amount_cents=course.price_cents,
            currency=course.currency,
            status=PaymentStatus.REFUNDED if refunded_at else PaymentStatus.SUCCEEDED,
            provider=Provider.SANDBOX,
            provider_session_id=f"demo_cs_{person.pk}_{course.pk}",
            provider_payment_id=f"demo_pi_{person.pk}_{course.pk}",
            paid_at=paid_at,
            refunded_at=refunded_at,
        )
        Payment.objects.filter(pk=payment.pk).update(created_at=paid_at - timedelta(minutes=2))
        Entitlement.objects.create(
            user=person,
            kind=EntitlementKind.COURSE,
            course=course,
            payment=payment,
            starts_at=paid_at,
            revoked_at=refunded_at,
        )
        self.event(EventKind.PAYMENT_SUCCEEDED, paid_at, person, course=course, value=course.price_cents)
        if refunded_at:
            self.event(EventKind.PAYMENT_REFUNDED, refunded_at, person, course=course, value=course.price_cents)

    def generation_jobs(self) -> int:
        from momentum.catalog.models import Category, Course
        from momentum.generation.models import GenerationJob, JobStatus

        fallback = Category.objects.get(slug="technology")
        for slug, ago, status, *costs in GENERATION_RUNS:
            course = Course.objects.filter(slug=slug).first() if slug else None
            created = self.now - timedelta(days=ago, hours=self.rng.uniform(1, 8))
            finished = created + timedelta(minutes=self.rng.uniform(3, 25))
            job = GenerationJob.objects.create(
                created_by=self.admin,
                topic=course.title if course else "Quantum computing for product managers",
                category=course.category if course else fallback,
                duration_days=course.duration_days if course else 14,
                status=status,
                course=course,
                started_at=created,
                finished_at=finished,
                providers={"text": "anthropic", "video": "heygen", "thumbnail": "bedrock"},
                error=""
                if status == JobStatus.SUCCEEDED
                else "text provider: circuit open after 5 failures (HTTP 529)",
            )
            total = self.job_steps(job, created, finished, [Decimal(cost) for cost in costs])
            GenerationJob.objects.filter(pk=job.pk).update(created_at=created, cost_usd=total)
            self.event(
                EventKind.GENERATION_FINISHED,
                finished,
                self.admin,
                course=course,
                value=total,
                properties={"job_id": str(job.pk), "status": status},
            )
        return len(GENERATION_RUNS)

    def job_steps(self, job: Any, created: datetime, finished: datetime, costs: list[Decimal]) -> Decimal:
        """The outline, videos and thumbnail steps of a job with their provider calls; their total cost."""
        from momentum.generation.models import GenerationStep, JobStatus, ProviderCall, StepStatus

        total = Decimal(0)
        steps = [("outline", "text", "anthropic"), ("videos", "video", "heygen"), ("thumbnail", "image", "bedrock")]
        for position, ((name, kind, provider), cost) in enumerate(zip(steps, costs, strict=True)):
            failed = job.status == JobStatus.FAILED
            if failed and position > 0:
                break
            step = GenerationStep.objects.create(
                job=job,
                name=name,
                position=position,
                attempts=5 if failed else 1,
                started_at=created,
                finished_at=finished,
                status=StepStatus.FAILED if failed else StepStatus.SUCCEEDED,
                cost_usd=cost,
                error="HTTP 529 overloaded" if failed else "",
            )
            if cost:
                call = ProviderCall.objects.create(
                    job=job,
                    step=step,
                    kind=kind,
                    provider=provider,
                    operation=name,
                    ok=not failed,
                    input_tokens=3000 if kind == "text" else 0,
                    output_tokens=9000 if kind == "text" else 0,
                    video_seconds=Decimal(90 * job.duration_days) if kind == "video" else Decimal(0),
                    images=1 if kind == "image" else 0,
                    cost_usd=cost,
                    duration_ms=self.rng.randint(800, 20000),
                )
                ProviderCall.objects.filter(pk=call.pk).update(created_at=created + timedelta(minutes=position + 1))
            total += cost
        return total

    def write(self) -> None:
        from momentum.learning.models import LessonProgress

        LessonProgress.objects.bulk_create(self.progress, batch_size=500)
        self.events.sort(key=lambda event: event.occurred_at)
        LearningEvent.objects.bulk_create(self.events, batch_size=500)
