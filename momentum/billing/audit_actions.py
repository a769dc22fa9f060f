"""The audit actions of billing (payments, plans, entitlements): the ``action`` of their AuditLog rows.

One member per audited change, so every place that records it is greppable; the values are the
strings stored in the audit log (never rename one: existing rows and their filters keep them).
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    ENTITLEMENT_ENDED = "entitlement.ended"
    ENTITLEMENT_EXTENDED = "entitlement.extended"
    ENTITLEMENT_GRANTED = "entitlement.granted"
    ENTITLEMENT_REVOKED = "entitlement.revoked"
    ENTITLEMENT_SHORTENED = "entitlement.shortened"
    PAYMENT_CANCELLED = "payment.cancelled"
    PAYMENT_CREATED = "payment.created"
    PAYMENT_EXPIRED = "payment.expired"
    PAYMENT_FAILED = "payment.failed"
    PAYMENT_REFUND_REQUESTED = "payment.refund_requested"
    PAYMENT_REFUNDED = "payment.refunded"
    PAYMENT_SUCCEEDED = "payment.succeeded"
    SUBSCRIPTION_CANCEL_REQUESTED = "subscription.cancel_requested"
    SUBSCRIPTION_CANCEL_SCHEDULED = "subscription.cancel_scheduled"
    SUBSCRIPTION_CANCEL_WITHDRAWN = "subscription.cancel_withdrawn"
    SUBSCRIPTION_CANCELLED = "subscription.cancelled"
    SUBSCRIPTION_CREATED = "subscription.created"
    SUBSCRIPTION_END_REQUESTED = "subscription.end_requested"
    SUBSCRIPTION_PAST_DUE = "subscription.past_due"
    SUBSCRIPTION_RENEWED = "subscription.renewed"
    SUBSCRIPTION_UPDATED = "subscription.updated"
