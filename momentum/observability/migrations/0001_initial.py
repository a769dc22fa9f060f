"""AlarmState and MetricSample move from ops to observability: the state only. Their tables keep
their names (``ops_alarmstate``, ``ops_metricsample``) and their rows."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ops", "0007_backuprun_moved_to_recovery"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AlarmState",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=80, unique=True)),
                        ("severity", models.CharField(default="warning", max_length=10)),
                        ("firing", models.BooleanField(default=False)),
                        ("value", models.FloatField(blank=True, null=True)),
                        ("message", models.CharField(blank=True, max_length=500)),
                        ("since", models.DateTimeField(default=django.utils.timezone.now)),
                        ("evaluated_at", models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        "db_table": "ops_alarmstate",
                    },
                ),
                migrations.CreateModel(
                    name="MetricSample",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("taken_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("values", models.JSONField(default=dict)),
                    ],
                    options={
                        "db_table": "ops_metricsample",
                    },
                ),
            ],
            database_operations=[],
        )
    ]
