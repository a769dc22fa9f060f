"""Observability: the in-app alarms' states and the metric samples their windows read."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AlarmState(models.Model):
    """The last evaluation of one alarm rule by the in-app evaluator."""

    name = models.CharField(max_length=80, unique=True)
    severity = models.CharField(max_length=10, default="warning")
    firing = models.BooleanField(default=False)
    value = models.FloatField(null=True, blank=True)
    message = models.CharField(max_length=500, blank=True)
    since = models.DateTimeField(default=timezone.now)
    evaluated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ops_alarmstate"  # the table of the app it came from (ops); its rows stay


class MetricSample(models.Model):
    """Totals of this machine's metrics at one moment, for the in-app alarm evaluator's windows."""

    taken_at = models.DateTimeField(default=timezone.now, db_index=True)
    values = models.JSONField(default=dict)

    class Meta:
        db_table = "ops_metricsample"  # the table of the app it came from (ops); its rows stay
