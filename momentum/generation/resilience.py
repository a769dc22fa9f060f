"""Around every provider call: a circuit breaker per provider, bounded retries, and the bill.

- The circuit's state lives in Django's cache (Redis when configured), so every web process and
  worker sees the same one: it opens after ``CIRCUIT_FAILURE_THRESHOLD`` failures in a row, and
  after ``CIRCUIT_COOLDOWN_SECONDS`` lets exactly one probe call through (half-open); the probe's
  success closes it, its failure opens it for another cool-down. While open, calls fail at once
  with ``CircuitOpen`` (nothing is sent). The gauge ``momentum_circuit_open{provider}`` follows.
- A retryable failure (429, 5xx, timeout, invalid JSON) is tried again after an exponential
  backoff with full jitter, or after the provider's ``Retry-After`` when it said so, at most
  ``MAX_ATTEMPTS`` times and never past ``RETRY_BUDGET_SECONDS``.
- Every attempt, answered or not, is a ``ProviderCall`` row with its usage and its cost from
  ``settings.GENERATION_PRICES``, added to its step's and its job's cost (and to the
  ``momentum_generation_cost_usd_total`` counter).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import F

from momentum.generation.models import GenerationJob, GenerationStep, ProviderCall
from momentum.generation.providers.base import ProviderError, Usage
from momentum.lib.logs import get_logger
from momentum.observability import metrics

log = get_logger("momentum.generation.resilience")

MAX_ATTEMPTS = 4
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 30.0
RETRY_BUDGET_SECONDS = 120.0  # a step's calls, retries and waits included, end within this
MILLION = Decimal(1_000_000)

CircuitState = Literal["closed", "open", "half-open"]
T = TypeVar("T")


class CircuitOpen(ProviderError):
    """The provider's circuit is open: the call was not made."""

    def __init__(self, provider: str, retry_in: float) -> None:
        super().__init__(
            f"{provider}: circuit open after repeated failures; next probe in {max(0, round(retry_in))} s",
            provider=provider,
            retryable=False,
            retry_after=retry_in,
        )


# --- Circuit breaker ---------------------------------------------------------------------------


class Circuit:
    """One provider's breaker, its state in the shared cache."""

    def __init__(self, provider: str) -> None:
        self.provider = provider
        self._failures = f"generation:circuit:{provider}:failures"
        self._opened_at = f"generation:circuit:{provider}:opened-at"
        self._probe = f"generation:circuit:{provider}:probe"

    def failures(self) -> int:
        return int(cache.get(self._failures) or 0)

    def opened_at(self) -> float | None:
        value = cache.get(self._opened_at)
        return float(value) if value is not None else None

    def state(self) -> CircuitState:
        opened = self.opened_at()
        if opened is None:
            return "closed"
        return "open" if time.time() - opened < settings.CIRCUIT_COOLDOWN_SECONDS else "half-open"

    def before_call(self) -> None:
        """Raise ``CircuitOpen`` unless a call may go out now (closed, or the one half-open probe)."""
        opened = self.opened_at()
        if opened is None:
            return
        wait = settings.CIRCUIT_COOLDOWN_SECONDS - (time.time() - opened)
        if wait > 0:
            raise CircuitOpen(self.provider, wait)
        # Half-open: the first caller to take the probe token goes; the others wait for its verdict.
        if not cache.add(self._probe, 1, timeout=settings.CIRCUIT_COOLDOWN_SECONDS):
            raise CircuitOpen(self.provider, settings.CIRCUIT_COOLDOWN_SECONDS)
        self._gauge(0.5)

    def succeeded(self) -> None:
        if cache.get(self._opened_at) is not None or cache.get(self._failures):
            cache.delete_many([self._failures, self._opened_at, self._probe])
            log.info("circuit_closed", provider=self.provider)
        self._gauge(0)

    def failed(self) -> None:
        if self.opened_at() is not None:  # the half-open probe failed: another cool-down
            self._open()
            cache.delete(self._probe)
            return
        cache.add(self._failures, 0, timeout=None)
        try:
            count = cache.incr(self._failures)
        except ValueError:  # evicted between add and incr
            cache.set(self._failures, 1, timeout=None)
            count = 1
        if count >= settings.CIRCUIT_FAILURE_THRESHOLD:
            self._open()

    def reset(self) -> None:
        cache.delete_many([self._failures, self._opened_at, self._probe])
        self._gauge(0)

    def _open(self) -> None:
        cache.set(self._opened_at, time.time(), timeout=None)
        log.warning("circuit_opened", provider=self.provider, failures=self.failures())
        self._gauge(1)

    def _gauge(self, value: float) -> None:
        metrics.CIRCUIT_STATE.labels(self.provider).set(value)


# --- Cost ---------------------------------------------------------------------------------------


def price(provider: str, usage: Usage) -> Decimal:
    """What ``usage`` costs at ``provider``'s prices (USD); unknown units cost nothing."""
    table = settings.GENERATION_PRICES.get(provider, {})
    cost = (
        Decimal(usage.input_tokens) * table.get("input_mtok", Decimal(0)) / MILLION
        + Decimal(usage.output_tokens) * table.get("output_mtok", Decimal(0)) / MILLION
        + Decimal(usage.video_seconds) * table.get("video_second", Decimal(0))
        + Decimal(usage.images) * table.get("image", Decimal(0))
    )
    return cost.quantize(Decimal("0.000001"))


@dataclass(frozen=True)
class CallContext:
    """Whose call it is: the job and its step (by ID), what kind, what for."""

    job_id: str
    step_id: int | None
    kind: str  # text | video | image
    operation: str


def record(
    context: CallContext,
    provider: str,
    usage: Usage,
    *,
    ok: bool,
    model: str = "",
    http_status: int | None = None,
    duration_ms: int = 0,
) -> ProviderCall:
    """One provider call on the bill: its row, its step's and job's totals, the cost counter."""
    cost = price(provider, usage)
    call = ProviderCall.objects.create(
        job_id=context.job_id,
        step_id=context.step_id,
        kind=context.kind,
        provider=provider,
        model=model[:120],
        operation=context.operation[:60],
        ok=ok,
        http_status=http_status,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        video_seconds=Decimal(usage.video_seconds).quantize(Decimal("0.01")),
        images=usage.images,
        cost_usd=cost,
        duration_ms=duration_ms,
    )
    if cost:
        if context.step_id is not None:
            GenerationStep.objects.filter(pk=context.step_id).update(cost_usd=F("cost_usd") + cost)
        GenerationJob.objects.filter(pk=context.job_id).update(cost_usd=F("cost_usd") + cost)
        metrics.GENERATION_COST_USD.labels(provider).inc(float(cost))
    return call


# --- The call -----------------------------------------------------------------------------------


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Seconds to wait before attempt ``attempt + 1``: the provider's wish, else capped full jitter."""
    if retry_after is not None:
        return max(0.0, retry_after)
    ceiling = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311  (jitter, not security)


def _usage_and_model(result: object) -> tuple[Usage, str]:
    usage = getattr(result, "usage", None)
    return (usage if isinstance(usage, Usage) else Usage()), str(getattr(result, "model", "") or "")


def call(
    provider: str,
    fn: Callable[[], T],
    context: CallContext,
    *,
    on_attempt: Callable[[int], None] | None = None,
    bill: bool = True,
) -> T:
    """``fn()`` (one call to ``provider``) through its circuit, retried within bounds, billed.

    ``bill=False`` records the call without usage (e.g. a status poll whose result the caller
    bills once, when the video is done). Raises the last ``ProviderError`` when no attempt answered.
    """
    circuit = Circuit(provider)
    deadline = time.monotonic() + RETRY_BUDGET_SECONDS
    attempt = 0
    while True:
        attempt += 1
        circuit.before_call()
        if on_attempt is not None:
            on_attempt(attempt)
        started = time.perf_counter()
        try:
            result = fn()
        except ProviderError as error:
            failure = error
        except Exception as error:  # a provider bug or a broken local tool: a failure, not worth retrying
            failure = ProviderError(f"{type(error).__name__}: {error}", provider=provider, retryable=False)
        else:
            elapsed = time.perf_counter() - started
            usage, model = _usage_and_model(result)
            record(context, provider, usage if bill else Usage(), ok=True, model=model,
                   duration_ms=round(elapsed * 1000))  # fmt: skip
            metrics.PROVIDER_CALLS.labels(provider, "ok").inc()
            metrics.PROVIDER_LATENCY.labels(provider).observe(elapsed)
            circuit.succeeded()
            return result
        elapsed = time.perf_counter() - started
        record(context, provider, failure.usage, ok=False, http_status=failure.http_status,
               duration_ms=round(elapsed * 1000))  # fmt: skip
        metrics.PROVIDER_CALLS.labels(provider, "error").inc()
        metrics.PROVIDER_LATENCY.labels(provider).observe(elapsed)
        circuit.failed()
        log.warning("provider_call_failed", provider=provider, operation=context.operation, attempt=attempt,
                    retryable=failure.retryable, error=str(failure)[:300])  # fmt: skip
        if not failure.retryable or attempt >= MAX_ATTEMPTS:
            raise failure
        wait = backoff(attempt, failure.retry_after)
        if time.monotonic() + wait > deadline:
            raise failure
        time.sleep(wait)
