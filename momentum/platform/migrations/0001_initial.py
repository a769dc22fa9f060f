"""IdempotencyRecord and CacheRevision move from ops to platform: the state only. Their tables keep
their names (``ops_idempotencyrecord``, ``ops_cacherevision``), their rows, and the triggers of
ops 0004 that move cache revisions forward."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ops", "0008_alarms_and_metric_samples_moved_to_observability"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CacheRevision",
                    fields=[
                        ("scope", models.CharField(max_length=80, primary_key=True, serialize=False)),
                        ("revision", models.BigIntegerField()),
                    ],
                    options={
                        "db_table": "ops_cacherevision",
                    },
                ),
                migrations.CreateModel(
                    name="IdempotencyRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("scope", models.CharField(max_length=100)),
                        ("key", models.CharField(max_length=255)),
                        ("request_hash", models.CharField(max_length=64)),
                        ("response_status", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("response_body", models.JSONField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "ops_idempotencyrecord",
                        "indexes": [models.Index(fields=["created_at"], name="idempotency_by_age")],
                        "constraints": [
                            models.UniqueConstraint(fields=("user", "scope", "key"), name="idempotency_key_once")
                        ],
                    },
                ),
            ],
            database_operations=[],
        )
    ]
