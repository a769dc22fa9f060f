"""Scheduled billing housekeeping (see momentum/platform/durable.py for QUEUES and SCHEDULES).

Every ten minutes:
- premium learners whose plan access has run out go back to FREE (a plan cancelled at the end
  of its period, or one whose renewal never arrived within the grace period);
- sandbox checkouts left open past their time expire, through the sandbox's own
  ``checkout.session.expired`` event (Stripe sends that event itself).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from momentum.billing import entitlements, provider_requests, queries
from momentum.billing.providers import CHECKOUT_TTL
from momentum.lib.logs import get_logger
from momentum.lib.problems import Problem
from momentum.platform import durable

log = get_logger("momentum.billing.workflows")

QUEUES: dict[str, dict[str, Any]] = {
    "billing": {"worker_concurrency": 1},
}


@durable.step()
def end_lapsed_plan_access() -> int:
    return entitlements.do_end_lapsed_plan_access()


@durable.step()
def expire_stale_sandbox_checkouts() -> int:
    expired = 0
    for payment in queries.stale_sandbox_checkouts(CHECKOUT_TTL).select_related("user")[:500]:
        try:
            provider_requests.do_sandbox_expire_checkout(payment)
        except Problem as problem:  # closed meanwhile, or the sandbox is off in production
            log.info("sandbox_checkout_not_expired", payment_id=str(payment.pk), reason=problem.code)
            continue
        expired += 1
    return expired


@durable.workflow("billing.plan_housekeeping")
def plan_housekeeping(scheduled_at: datetime, context: Any) -> dict[str, int]:
    return {"demoted": end_lapsed_plan_access(), "checkouts_expired": expire_stale_sandbox_checkouts()}


SCHEDULES = [
    {"schedule_name": "billing.plan_housekeeping", "workflow_fn": plan_housekeeping, "schedule": "0 */10 * * * *"},
]
