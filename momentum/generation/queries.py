"""Reads of the generation app: jobs and their steps, the workflow IDs of a job, provider status."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import QuerySet, Sum
from django.utils import timezone

from momentum.generation.models import GenerationJob, GenerationStep, ProviderCall
from momentum.lib.logs import get_logger
from momentum.lib.problems import NotFound

if TYPE_CHECKING:
    from momentum.generation.resilience import CircuitState

log = get_logger("momentum.generation.queries")
PROBE_CACHE_SECONDS = 60


def jobs(user: Any, status: str = "") -> QuerySet[GenerationJob]:
    """The jobs ``user`` may see (``status``: only those), newest first: an admin sees every job (the
    studio is shared), an instructor the ones they started; ``user`` None: every job (workers)."""
    found = GenerationJob.objects.select_related("category", "course", "created_by").order_by("-created_at")
    if user is not None and not getattr(user, "is_admin", False):
        found = found.filter(created_by_id=getattr(user, "pk", None)) if user.is_authenticated else found.none()
    return found.filter(status=status) if status else found


def job_or_404(job_id: Any, user: Any) -> GenerationJob:
    """The job ``job_id`` if ``user`` may see it (see ``jobs``), else 404 (another's job is not shown)."""
    try:
        job = jobs(user).prefetch_related("steps").filter(pk=job_id).first()
    except (ValueError, TypeError):  # not a UUID
        job = None
    if job is None:
        raise NotFound("No such generation job.")
    return job


def steps(job: GenerationJob) -> list[GenerationStep]:
    return list(GenerationStep.objects.filter(job=job).order_by("position", "id"))


def workflow_id(job: GenerationJob) -> str:
    """The workflow of the job's latest run: the job ID, then one per retry."""
    retries = int((job.providers or {}).get("retries", 0))
    return str(job.pk) if retries == 0 else f"{job.pk}-retry-{retries}"


def calls(job: GenerationJob) -> QuerySet[ProviderCall]:
    return ProviderCall.objects.filter(job=job).order_by("created_at", "id")


def job_summary(job: GenerationJob) -> dict[str, Any]:
    """Counts the job page shows: steps done, provider calls, cost by kind."""
    by_kind = {
        row["kind"]: Decimal(row["total"] or 0)
        for row in ProviderCall.objects.filter(job=job).values("kind").annotate(total=Sum("cost_usd"))
    }
    all_steps = steps(job)
    return {
        "steps_total": len(all_steps),
        "steps_done": sum(1 for step in all_steps if step.status in ("SUCCEEDED", "SKIPPED", "FAILED")),
        "calls": ProviderCall.objects.filter(job=job).count(),
        "cost_by_kind": by_kind,
    }


@dataclass(frozen=True)
class ProviderStatus:
    """One kind's configured provider: does it answer (a cheap probe, cached a minute) and its circuit."""

    kind: str  # text, video or thumbnail
    provider: str
    configured: bool
    answers: bool
    detail: str
    circuit: CircuitState
    failures: int


def provider_status() -> dict[str, ProviderStatus]:
    """Each kind's configured provider and how it does, by kind: what the settings, generation and
    operations pages and ``momentum check-config`` show."""
    from momentum.generation import providers
    from momentum.generation.resilience import Circuit

    factories = {
        "text": providers.text_provider,
        "video": providers.video_provider,
        "thumbnail": providers.thumbnail_provider,
    }
    status: dict[str, ProviderStatus] = {}
    for kind, name in providers.configured().items():
        circuit = Circuit(name)
        answers, detail = _probe(kind, name, factories[kind])
        status[kind] = ProviderStatus(
            kind=kind,
            provider=name,
            configured=True,
            answers=answers,
            detail=detail,
            circuit=circuit.state(),
            failures=circuit.failures(),
        )
    return status


def _probe(kind: str, name: str, factory: Any) -> tuple[bool, str]:
    key = f"generation:probe:{kind}:{name}"
    cached = cache.get(key)
    if cached is not None:
        return bool(cached[0]), str(cached[1])
    try:
        provider = factory()
        detail = str(provider.probe())
        answers = True
    except ImportError as error:
        answers, detail = False, f"not installed ({error})"
    except Exception as error:  # a provider that does not answer is the status to show
        answers, detail = False, str(error)[:300]
    cache.set(key, (answers, detail), PROBE_CACHE_SECONDS)
    return answers, detail


def jobs_started_today(user: Any) -> int:
    from momentum.sitesettings.queries import start_of_day

    return GenerationJob.objects.filter(created_by=user, created_at__gte=start_of_day(timezone.now())).count()


def job_or_404_page(job_id: Any, user: Any) -> GenerationJob:
    """A job for a page: Django's 404 page when there is none ``user`` may see."""
    from django.http import Http404

    try:
        return job_or_404(job_id, user)
    except NotFound:
        raise Http404("No such generation job.") from None
