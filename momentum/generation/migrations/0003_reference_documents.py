"""ReferenceDocument and ReferenceChunk move from catalog to generation: the state only. Their tables
keep their names (``catalog_referencedocument``, ``catalog_referencechunk``), their rows and every
foreign key, including the one from generation jobs' reference documents."""

import uuid

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_course_search_vector"),
        ("generation", "0002_database_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReferenceDocument",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("file", models.FileField(upload_to="references/%Y/%m/")),
                        ("filename", models.CharField(max_length=255)),
                        ("size_bytes", models.PositiveBigIntegerField()),
                        ("sha256", models.CharField(max_length=64)),
                        ("pages", models.PositiveIntegerField(default=0)),
                        ("characters", models.PositiveIntegerField(default=0)),
                        ("text", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="reference_documents",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "catalog_referencedocument",
                        "indexes": [models.Index(fields=["uploaded_by", "-created_at"], name="reference_by_uploader")],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    django.db.models.lookups.Exact(django.db.models.functions.text.Length("sha256"), 64)
                                ),
                                name="reference_sha256_hex",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ReferenceChunk",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("position", models.PositiveIntegerField()),
                        ("page", models.PositiveIntegerField(default=1)),
                        ("text", models.TextField()),
                        (
                            "document",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="chunks",
                                to="generation.referencedocument",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "catalog_referencechunk",
                        "ordering": ["document", "position"],
                        "constraints": [
                            models.UniqueConstraint(fields=("document", "position"), name="chunk_position_unique")
                        ],
                    },
                ),
                migrations.AlterField(
                    model_name="generationjob",
                    name="reference_documents",
                    field=models.ManyToManyField(
                        blank=True, related_name="generation_jobs", to="generation.referencedocument"
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
