"""Writes of the achievements app: the badge table follows rules.py; awards are made at most once."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from momentum.accounts.actions import do_notify
from momentum.accounts.models import NotificationKind
from momentum.achievements.models import Badge, BadgeAward
from momentum.achievements.rules import BADGES, Facts
from momentum.analytics.actions import do_record_event
from momentum.analytics.models import EventKind
from momentum.credentials.actions import do_issue_badge_credential
from momentum.lib.plain_rows import PlainRows
from momentum.observability import metrics


def sync_badges(badge_model: Any = Badge) -> None:
    """Make the Badge table say what rules.py declares (created or updated by code; never deleted,
    so awards of a retired badge survive)."""
    for position, declared in enumerate(BADGES):
        badge_model.objects.update_or_create(
            code=declared.code,
            defaults={
                "name": declared.name,
                "description": declared.description,
                "criteria": declared.criteria,
                "rule": str(declared.rule),
                "threshold": declared.threshold,
                "icon": declared.icon,
                "position": position,
            },
        )


# Read at every lesson completion: plain SQL (ADR 0024), in the badges' order
_BADGES_NOT_AWARDED = PlainRows(
    Badge,
    f"NOT EXISTS (SELECT 1 FROM {BadgeAward._meta.db_table} a "  # noqa: S608  (model names; the user is a placeholder)
    f"WHERE a.badge_id = {Badge._meta.db_table}.id AND a.user_id = %s)",
    order_by="position, code",
)


def do_award_badges(user: Any, facts: Facts, *, now: datetime | None = None) -> list[BadgeAward]:
    """Award every badge ``facts`` earn that ``user`` lacks, each with its credential (Open Badges).
    The unique (user, badge) constraint decides races: of two concurrent requests, one inserts and
    the other finds the award there."""
    awarded = []
    for badge in _BADGES_NOT_AWARDED.all([user.pk]):
        if not facts.meets(badge.rule, badge.threshold):
            continue
        try:
            with transaction.atomic():
                award = BadgeAward.objects.create(
                    user=user, badge=badge, awarded_at=now or timezone.now(), context=asdict(facts)
                )
        except IntegrityError:
            continue  # awarded by a concurrent request
        do_issue_badge_credential(award)
        do_record_event(EventKind.BADGE_AWARDED, user=user, properties={"badge": badge.code})
        with translation.override(getattr(user, "language", "") or translation.get_language()):
            title = _("You earned a badge: %(name)s") % {"name": badge.name}
        do_notify(
            user, kind=NotificationKind.BADGE_AWARDED, title=title,
            body=badge.description, url=reverse("learning:dashboard"),
        )  # fmt: skip
        transaction.on_commit(metrics.BADGES_AWARDED.labels(badge=badge.code).inc)
        awarded.append(award)
    return awarded
