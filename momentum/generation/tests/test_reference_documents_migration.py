"""ReferenceDocument and ReferenceChunk moved from catalog to generation (state only): a database
made with the old layout keeps its reference documents, their passages and the jobs' links to them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from momentum.generation.models import GenerationJob
from momentum.generation.references.models import ReferenceChunk, ReferenceDocument

BEFORE = [("catalog", "0007_course_changed_not_by_enrolments"), ("generation", "0002_database_rules")]


@pytest.fixture
def old_layout(transactional_db: None) -> Iterator[Any]:
    """The database migrated back to the layout before the move; forward again afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        yield MigrationExecutor(connection).loader.project_state(BEFORE).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_database_made_before_the_move_keeps_its_reference_documents(old_layout: Any, admin: Any) -> None:
    # Given a database with the old layout: a reference document (catalog's) with two passages,
    # grounding a generation job
    Document = old_layout.get_model("catalog", "ReferenceDocument")
    Chunk = old_layout.get_model("catalog", "ReferenceChunk")
    Job = old_layout.get_model("generation", "GenerationJob")
    Category = old_layout.get_model("catalog", "Category")
    document = Document.objects.create(
        filename="soil.pdf", size_bytes=1234, sha256="a" * 64, pages=2, characters=42, text="Soil. Roots.",
        uploaded_by_id=admin.pk,
    )  # fmt: skip
    Chunk.objects.create(document=document, position=0, page=1, text="Soil holds water.")
    Chunk.objects.create(document=document, position=1, page=2, text="Roots drink it.")
    job = Job.objects.create(
        topic="Gardening", duration_days=7, level="BEGINNER", category=Category.objects.first(), created_by_id=admin.pk
    )
    job.reference_documents.add(document)

    # When it is migrated to the new layout
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # Then generation's models read every row, and the job still names its document
    moved = ReferenceDocument.objects.get(pk=document.pk)
    assert (moved.filename, moved.uploaded_by_id, moved.text) == ("soil.pdf", admin.pk, "Soil. Roots.")
    assert list(ReferenceChunk.objects.filter(document=moved).values_list("page", "text")) == [
        (1, "Soil holds water."),
        (2, "Roots drink it."),
    ]
    assert list(GenerationJob.objects.get(pk=job.pk).reference_documents.all()) == [moved]
    assert moved.generation_jobs.get().topic == "Gardening"
