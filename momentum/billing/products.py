"""What Momentum sells: a premium course (one-time) and the premium monthly plan (from settings)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from momentum.billing.models import Product
from momentum.catalog.models import Course

PLAN_CODE = "premium_monthly"
PLAN_CURRENCY = "usd"


@dataclass(frozen=True)
class Offer:
    """One thing a learner can pay for, priced."""

    product: Product
    name: str
    amount_cents: int
    currency: str
    course: Course | None = None
    plan: str = ""

    @property
    def recurring(self) -> bool:
        return self.product == Product.PLAN


def plan_offer() -> Offer:
    return Offer(
        product=Product.PLAN,
        name=settings.PLAN_NAME,
        amount_cents=settings.PLAN_PRICE_CENTS,
        currency=PLAN_CURRENCY,
        plan=PLAN_CODE,
    )


def course_offer(course: Course) -> Offer:
    return Offer(
        product=Product.COURSE,
        name=course.title,
        amount_cents=course.price_cents,
        currency=course.currency,
        course=course,
    )


def one_month_after(moment: datetime) -> datetime:
    """The same day and time next month, clamped to the month's last day (how monthly plans renew)."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
