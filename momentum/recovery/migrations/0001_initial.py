"""BackupRun moves from ops to recovery: the state only. Its table keeps its name (``ops_backuprun``),
its rows, its constraints and its index."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ops", "0006_auditlog_moved_to_audit"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BackupRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("backup", "Backup"), ("restore", "Restore"), ("drill", "Restore drill")],
                                max_length=8,
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("running", "Running"), ("succeeded", "Succeeded"), ("failed", "Failed")],
                                default="running",
                                max_length=9,
                            ),
                        ),
                        ("location", models.CharField(blank=True, max_length=1000)),
                        ("size_bytes", models.PositiveBigIntegerField(default=0)),
                        ("manifest", models.JSONField(blank=True, default=dict)),
                        ("duration_seconds", models.FloatField(default=0)),
                        ("error", models.TextField(blank=True)),
                        ("started_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "ops_backuprun",
                        "indexes": [models.Index(fields=["kind", "status", "-started_at"], name="backup_latest")],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("kind__in", ["backup", "restore", "drill"])),
                                name="backup_kind_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("status__in", ["running", "succeeded", "failed"])),
                                name="backup_status_valid",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        )
    ]
