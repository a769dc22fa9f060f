"""Reads of reference documents: which exist, and the passages most relevant to a query."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from momentum.generation.references.models import ReferenceChunk, ReferenceDocument
from momentum.lib.terms import bm25_scores


def reference_documents(ids: Iterable[UUID | str], user: Any) -> list[ReferenceDocument]:
    """The reference documents with these IDs that ``user`` may use: any for an admin, the ones
    they uploaded for an instructor (another instructor's upload reads as absent)."""
    found = ReferenceDocument.objects.filter(pk__in=list(ids))
    if not getattr(user, "is_admin", False):
        found = found.filter(uploaded_by_id=getattr(user, "pk", None))
    return list(found)


def passages_for(documents: Iterable[ReferenceDocument | UUID | str], query: str, k: int) -> tuple[str, ...]:
    """The ``k`` passages of ``documents`` most relevant to ``query`` (BM25), best first.

    When no passage shares a term with the query, the documents' opening passages stand in:
    a document usually introduces its subject first. Deterministic: ties keep document order.
    """
    ids = [d.pk if isinstance(d, ReferenceDocument) else UUID(str(d)) for d in documents]
    if not ids or k <= 0:
        return ()
    order = {str(pk): index for index, pk in enumerate(ids)}
    chunks = sorted(
        ReferenceChunk.objects.filter(document_id__in=ids).values_list("document_id", "position", "text"),
        key=lambda row: (order.get(str(row[0]), len(order)), row[1]),
    )
    texts = [row[2] for row in chunks]
    scores = bm25_scores(texts, query)
    ranked = sorted(range(len(texts)), key=lambda i: (-scores[i], i))
    if not any(scores):
        ranked = list(range(len(texts)))
    return tuple(texts[i] for i in ranked[:k])
