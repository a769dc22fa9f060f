"""Input and output shapes of the billing API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field, model_validator

PlanCode = Literal["premium_monthly"]


class CheckoutIn(Schema):
    """Exactly one of: a premium course (id or slug), or a plan."""

    course: int | str | None = Field(default=None, description="A premium course's id or slug")
    plan: PlanCode | None = Field(default=None, description="The premium plan")

    @model_validator(mode="after")
    def _one_product(self) -> CheckoutIn:
        if (self.course is None) == (self.plan is None):
            raise ValueError("give either course or plan")
        if isinstance(self.course, str) and not 0 < len(self.course) <= 120:
            raise ValueError("course must be an id or a slug of at most 120 characters")
        return self


class CheckoutOut(Schema):
    checkout_url: str = Field(description="Send the learner here to pay (the provider's page)")
    session_id: str
    payment_id: UUID


class WebhookReceipt(Schema):
    event_id: str
    type: str
    duplicate: bool = Field(description="True when this event was received before: nothing changed")
    outcome: str


class CourseRef(Schema):
    id: int
    slug: str
    title: str


class PaymentOut(Schema):
    id: UUID
    product: str
    amount_cents: int
    currency: str
    status: str
    provider: str
    course: CourseRef | None = None
    plan: str | None = None
    created_at: datetime
    paid_at: datetime | None = None
    refunded_at: datetime | None = None


class PaymentPage(Schema):
    items: list[PaymentOut]
    count: int
    page: int
    page_size: int
