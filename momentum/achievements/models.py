"""Badges: declared rules (see rules.py) and the awards they produce, each at most once."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Rule(models.TextChoices):
    LESSONS_COMPLETED = "lessons_completed", "Lessons completed"
    COURSES_COMPLETED = "courses_completed", "Courses completed"
    STREAK_DAYS = "streak_days", "Streak in days"
    COURSE_OF_DURATION = "course_of_duration", "Completed a course of this many days"


class Badge(models.Model):
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300)
    criteria = models.CharField(max_length=300, help_text="How to earn it, in plain words")
    rule = models.CharField(max_length=30, choices=Rule)
    threshold = models.PositiveIntegerField()
    icon = models.CharField(max_length=40, default="star")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["position", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(rule__in=Rule.values), name="badge_rule_valid"),
            models.CheckConstraint(condition=Q(threshold__gte=1), name="badge_threshold_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class BadgeAward(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badge_awards")
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    awarded_at = models.DateTimeField(default=timezone.now)
    context = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "badge"], name="award_once_per_user_badge")]
        indexes = [models.Index(fields=["user", "-awarded_at"], name="award_by_user")]
