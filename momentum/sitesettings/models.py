"""The settings an admin changes in the studio (the site's name, generation quotas and budgets)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InstructorPublishing(models.TextChoices):
    """What an instructor's "publish" does (an admin's always publishes)."""

    APPROVAL = "APPROVAL", _("An admin approves: the course waits in the admins' approval queue")
    PUBLISH = "PUBLISH", _("Instructors publish their own courses")


class SiteSettings(models.Model):
    """The settings an admin changes in the studio; one row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    site_name = models.CharField(max_length=100, default="Momentum")
    generation_daily_quota = models.PositiveIntegerField(default=10, help_text=_("Jobs per admin per day"))
    generation_monthly_budget_usd = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("100.00"))
    generation_daily_budget_usd = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("20.00"))
    instructor_publishing = models.CharField(
        max_length=8, choices=InstructorPublishing, default=InstructorPublishing.APPROVAL,
        db_default=InstructorPublishing.APPROVAL,
    )  # fmt: skip
    instructor_generation_daily_quota = models.PositiveIntegerField(
        default=3, db_default=3, help_text=_("Generation jobs per instructor per day")
    )
    instructor_generation_daily_budget_usd = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("5.00"), db_default=Decimal("5.00"),
        help_text=_("What one instructor's generation jobs may cost per day (UTC)"),
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "ops_sitesettings"  # the table of the app it came from (ops); its rows stay
        verbose_name_plural = "site settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="site_settings_single_row"),
            models.CheckConstraint(condition=Q(generation_monthly_budget_usd__gte=0), name="site_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(instructor_publishing__in=InstructorPublishing.values),
                name="site_instructor_publishing_valid",
            ),
            models.CheckConstraint(
                condition=Q(instructor_generation_daily_budget_usd__gte=0), name="site_instructor_budget_not_negative"
            ),
        ]

    @classmethod
    def load(cls) -> SiteSettings:
        settings_row, _created = cls.objects.get_or_create(id=1)
        return settings_row
