"""Full-text search over courses: one interface, an engine per database.

``search(courses, text)`` narrows a queryset of courses to those matching every word of
``text`` (the last letters of a word may be missing: "photo" finds "photography"), annotates
``search_title_hits`` (how many of the words are in the title) and ``search_rank`` (relevance,
higher is better), and orders by them: a course whose title has the words comes first.

- SQLite: an FTS5 table over title and description (migration 0004), kept current by
  triggers on every insert, update and delete of a course, ranked by BM25 with the title
  weighted ten times the description.
- PostgreSQL: the weighted tsvector of title (A) and description (B) in a generated column,
  ``catalog_course.search_vector``, which the database keeps current on every write, with a
  GIN index on it (migrations 0004 and 0005). Ranked by ts_rank.

Both stem English words (Porter / the 'english' configuration). User input never reaches
the engines' query languages: only runs of letters and digits are kept, quoted.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import connection
from django.db.models import BooleanField, FloatField, IntegerField, QuerySet
from django.db.models.expressions import RawSQL

from momentum.catalog.models import Course

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
MIN_PREFIX_LENGTH = 3
# Words too common to narrow a search (PostgreSQL's 'english' configuration drops them too).
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "how", "i", "in", "into", "is", "it",
    "of", "on", "or", "over", "the", "this", "to", "was", "what", "when", "with", "you", "your",
})  # fmt: skip
# Title hits first, then relevance; ties by title so pages are stable.
BEST_FIRST = ("-search_title_hits", "-search_rank", "title", "id")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_SQLITE_MATCHING = "SELECT rowid FROM catalog_course_fts WHERE catalog_course_fts MATCH %s"
_SQLITE_RANK = (
    "SELECT -bm25(catalog_course_fts, 10.0, 1.0) FROM catalog_course_fts "
    "WHERE catalog_course_fts MATCH %s AND rowid = catalog_course.id"
)
# Title and description of catalog_course, weighted: a stored column with a GIN index (migration 0005).
PG_VECTOR = "catalog_course.search_vector"


def terms(text: str) -> list[str]:
    """The words of a search, lower-cased, without stopwords (unless nothing else is left)."""
    words = [word[:MAX_TERM_LENGTH] for word in _WORD.findall((text or "").lower())]
    meaningful = [word for word in words if word not in STOPWORDS] or words
    return list(dict.fromkeys(meaningful))[:MAX_TERMS]


def search(courses: QuerySet[Course], text: str) -> QuerySet[Course]:
    """The courses of ``courses`` matching ``text``, best first (see the module's docstring)."""
    words = terms(text)
    if not words:
        return courses.none()
    return _ENGINES[connection.vendor](courses, words)


def _sqlite_phrase(word: str) -> str:
    return f'"{word}"*' if len(word) >= MIN_PREFIX_LENGTH else f'"{word}"'


def _sqlite(courses: QuerySet[Course], words: list[str]) -> QuerySet[Course]:
    match = " ".join(_sqlite_phrase(word) for word in words)
    return (
        courses.filter(id__in=RawSQL(_SQLITE_MATCHING, (match,)))  # noqa: S611
        .annotate(
            search_title_hits=RawSQL(  # noqa: S611  (constant SQL; the words arrive as parameters)
                " + ".join([f"(catalog_course.id IN ({_SQLITE_MATCHING}))"] * len(words)),
                tuple(f"title : {_sqlite_phrase(word)}" for word in words),
                output_field=IntegerField(),
            ),
            search_rank=RawSQL(_SQLITE_RANK, (match,), output_field=FloatField()),  # noqa: S611
        )
        .order_by(*BEST_FIRST)
    )


def _pg_term(word: str) -> str:
    return f"{word}:*" if len(word) >= MIN_PREFIX_LENGTH else word


def _postgresql(courses: QuerySet[Course], words: list[str]) -> QuerySet[Course]:
    query = " & ".join(_pg_term(word) for word in words)
    tsquery = "to_tsquery('english'::regconfig, %s)"
    in_title = " + ".join(f"(to_tsvector('english'::regconfig, catalog_course.title) @@ {tsquery})::int" for _ in words)
    return (
        courses.filter(
            RawSQL(f"{PG_VECTOR} @@ {tsquery}", (query,), output_field=BooleanField())  # noqa: S611
        )
        .annotate(
            search_title_hits=RawSQL(  # noqa: S611
                in_title, tuple(_pg_term(word) for word in words), output_field=IntegerField()
            ),
            search_rank=RawSQL(f"ts_rank({PG_VECTOR}, {tsquery})", (query,), output_field=FloatField()),  # noqa: S611
        )
        .order_by(*BEST_FIRST)
    )


_ENGINES: dict[str, Callable[[QuerySet[Course], list[str]], QuerySet[Course]]] = {
    "sqlite": _sqlite,
    "postgresql": _postgresql,
}
