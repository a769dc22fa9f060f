"""Full-text search over courses: one interface, an engine per database.

``search(courses, text)`` narrows a queryset of courses to those matching any word of ``text``
(the last letters of a word may be missing: "photo" finds "photography"), annotates
``search_hits`` (how many of the words the course has), ``search_title_hits`` (how many are in
its title) and ``search_rank`` (relevance, higher is better), and orders by them: a course with
more of the words comes first, then one whose title has them.

A word that matches none of ``courses`` is taken as misspelt and replaced by the closest word of
their titles, when one is close enough ("pyhton" finds "Python in 7 Days");
``did_you_mean(courses, text)`` is the corrected text, for the page to offer.

- SQLite: an FTS5 table over title and description (migration 0004), kept current by
  triggers on every insert, update and delete of a course, ranked by BM25 with the title
  weighted ten times the description. Corrections come from the vocabulary of a second FTS5
  table of the titles' words as written (``fts5vocab``, migration 0006).
- PostgreSQL: the weighted tsvector of title (A) and description (B) in a generated column,
  ``catalog_course.search_vector``, which the database keeps current on every write, with a
  GIN index on it (migrations 0004 and 0005). Ranked by ts_rank. Corrections come from the
  titles that ``pg_trgm`` finds similar to the word (``<%``, a trigram GIN index: migration 0006).
  The words are ORed in ``to_tsquery`` (rather than ``websearch_to_tsquery``, which cannot
  match a prefix); they are sanitised first, so no syntax of the user's reaches it.

Both stem English words (Porter / the 'english' configuration), and both choose a correction
the same way (``closeness``) among their candidates. User input never reaches the engines'
query languages: only runs of letters and digits are kept, quoted.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.db import connection, transaction
from django.db.models import BooleanField, FloatField, IntegerField, Max, QuerySet
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
# Words matched first, then title hits, then relevance; ties by title so pages are stable.
BEST_FIRST = ("-search_hits", "-search_title_hits", "-search_rank", "title", "id")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Spelling: shorter words are too ambiguous to correct; a correction is at least this close.
MIN_CORRECTED_LENGTH = 4
MIN_CLOSENESS = 0.75
MAX_CANDIDATES = 40
MAX_CORRECTIONS_TRIED = 5
# pg_trgm's word similarity of a candidate title (two letters swapped in a six-letter word: ~0.29).
PG_WORD_SIMILARITY = 0.25

_SQLITE_MATCHING = "SELECT rowid FROM catalog_course_fts WHERE catalog_course_fts MATCH %s"
_SQLITE_RANK = (
    "SELECT -bm25(catalog_course_fts, 10.0, 1.0) FROM catalog_course_fts "
    "WHERE catalog_course_fts MATCH %s AND rowid = catalog_course.id"
)
_SQLITE_VOCABULARY = "SELECT term FROM catalog_course_vocabulary WHERE length(term) BETWEEN %s AND %s"
# Title and description of catalog_course, weighted: a stored column with a GIN index (migration 0005).
PG_VECTOR = "catalog_course.search_vector"
_PG_TSQUERY = "to_tsquery('english'::regconfig, %s)"


def terms(text: str) -> list[str]:
    """The words of a search, lower-cased, without stopwords (unless nothing else is left)."""
    words = [word[:MAX_TERM_LENGTH] for word in _WORD.findall((text or "").lower())]
    meaningful = [word for word in words if word not in STOPWORDS] or words
    return list(dict.fromkeys(meaningful))[:MAX_TERMS]


def search(courses: QuerySet[Course], text: str) -> QuerySet[Course]:
    """The courses of ``courses`` matching ``text``, best first (see the module's docstring)."""
    words = list(dict.fromkeys(_corrected(courses, terms(text)).values()))
    if not words:
        return courses.none()
    return _ENGINES[connection.vendor].search(courses, words)


def did_you_mean(courses: QuerySet[Course], text: str) -> str:
    """``text`` with its misspelt words corrected, or "" when no word needed a correction."""
    corrections = _corrected(courses, terms(text))
    if all(word == fixed for word, fixed in corrections.items()):
        return ""
    return " ".join(corrections.values())


def closeness(word: str, candidate: str) -> float:
    """How alike two words are, 0 to 1 (a typo or a swap of two letters keeps ~0.8 and more)."""
    return SequenceMatcher(None, word, candidate).ratio()


def _corrected(courses: QuerySet[Course], words: list[str]) -> dict[str, str]:
    """Each word, or the closest title word of ``courses`` when it matches none of them."""
    engine = _ENGINES[connection.vendor]
    unmatched = [word for word in words if len(word) >= MIN_CORRECTED_LENGTH]
    if unmatched:  # one query for every word, whatever their number
        unmatched = [word for word in unmatched if word not in _matched(engine, courses, unmatched)]
    result = {word: word for word in words}
    for word in unmatched:
        candidates = {found for found in engine.candidates(courses, word) if found != word}
        close = [found for found in candidates if closeness(word, found) >= MIN_CLOSENESS]
        ranked = sorted(close, key=lambda found: (-closeness(word, found), found))[:MAX_CORRECTIONS_TRIED]
        present = _matched(engine, courses, ranked) if ranked else set()
        result[word] = next((found for found in ranked if found in present), word)
    return result


def _matched(engine: type[_SQLite | _PostgreSQL], courses: QuerySet[Course], words: list[str]) -> set[str]:
    """Which of ``words`` some course of ``courses`` has (one query)."""
    found = courses.order_by().aggregate(**{f"w{i}": Max(engine.hit(word)) for i, word in enumerate(words)})
    return {word for i, word in enumerate(words) if found[f"w{i}"]}


def _title_words(titles: list[str]) -> set[str]:
    return {word for title in titles for word in _WORD.findall(title.lower())}


class _SQLite:
    @staticmethod
    def phrase(word: str) -> str:
        return f'"{word}"*' if len(word) >= MIN_PREFIX_LENGTH else f'"{word}"'

    @classmethod
    def count(cls, words: list[str], column: str = "") -> RawSQL:
        return RawSQL(  # noqa: S611  (constant SQL; the words arrive as parameters)
            " + ".join([f"(catalog_course.id IN ({_SQLITE_MATCHING}))"] * len(words)),
            tuple(f"{column}{cls.phrase(word)}" for word in words),
            output_field=IntegerField(),
        )

    @classmethod
    def search(cls, courses: QuerySet[Course], words: list[str]) -> QuerySet[Course]:
        match = " OR ".join(cls.phrase(word) for word in words)
        return (
            courses.filter(id__in=RawSQL(_SQLITE_MATCHING, (match,)))  # noqa: S611
            .annotate(
                search_hits=cls.count(words),
                search_title_hits=cls.count(words, "title : "),
                search_rank=RawSQL(_SQLITE_RANK, (match,), output_field=FloatField()),  # noqa: S611
            )
            .order_by(*BEST_FIRST)
        )

    @classmethod
    def hit(cls, word: str) -> RawSQL:
        """1 for a course that has the word, else 0."""
        return cls.count([word])

    @staticmethod
    def candidates(courses: QuerySet[Course], word: str) -> set[str]:
        """Words of every title as written (not narrowed to ``courses``: the chosen one is)."""
        with connection.cursor() as cursor:
            cursor.execute(_SQLITE_VOCABULARY, [len(word) - 2, len(word) + 2])
            return {row[0] for row in cursor.fetchall()}


class _PostgreSQL:
    @staticmethod
    def term(word: str) -> str:
        return f"{word}:*" if len(word) >= MIN_PREFIX_LENGTH else word

    @classmethod
    def search(cls, courses: QuerySet[Course], words: list[str]) -> QuerySet[Course]:
        query = " | ".join(cls.term(word) for word in words)
        hits = " + ".join(f"({PG_VECTOR} @@ {_PG_TSQUERY})::int" for _ in words)
        in_title = " + ".join(
            f"(to_tsvector('english'::regconfig, catalog_course.title) @@ {_PG_TSQUERY})::int" for _ in words
        )
        per_word = tuple(cls.term(word) for word in words)
        return (
            courses.filter(
                RawSQL(f"{PG_VECTOR} @@ {_PG_TSQUERY}", (query,), output_field=BooleanField())  # noqa: S611
            )
            .annotate(
                search_hits=RawSQL(hits, per_word, output_field=IntegerField()),  # noqa: S611
                search_title_hits=RawSQL(in_title, per_word, output_field=IntegerField()),  # noqa: S611
                search_rank=RawSQL(f"ts_rank({PG_VECTOR}, {_PG_TSQUERY})", (query,), output_field=FloatField()),  # noqa: S611
            )
            .order_by(*BEST_FIRST)
        )

    @classmethod
    def hit(cls, word: str) -> RawSQL:
        """1 for a course that has the word, else 0."""
        return RawSQL(f"({PG_VECTOR} @@ {_PG_TSQUERY})::int", (cls.term(word),), output_field=IntegerField())  # noqa: S611

    @staticmethod
    def candidates(courses: QuerySet[Course], word: str) -> set[str]:
        """Words of the titles of ``courses`` that pg_trgm finds like ``word`` (none without pg_trgm)."""
        if not _pg_trigrams_enabled():
            return set()
        similar = RawSQL("%s <%% catalog_course.title", (word,), output_field=BooleanField())
        similarity = RawSQL("word_similarity(%s, catalog_course.title)", (word,), output_field=FloatField())
        with transaction.atomic(), connection.cursor() as cursor:
            # The threshold of <% for this transaction only (the index answers the operator, not a function).
            cursor.execute(f"SET LOCAL pg_trgm.word_similarity_threshold = {PG_WORD_SIMILARITY}")
            titles = list(
                courses.filter(similar)
                .annotate(similarity=similarity)
                .order_by("-similarity")
                .values_list("title", flat=True)[:MAX_CANDIDATES]
            )
        return _title_words(titles)


_TRIGRAMS: dict[str, bool] = {}


def _pg_trigrams_enabled() -> bool:
    """Whether migration 0006 could enable pg_trgm in this database (asked once per database)."""
    name = str(connection.settings_dict["NAME"])
    if name not in _TRIGRAMS:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            _TRIGRAMS[name] = cursor.fetchone() is not None
    return _TRIGRAMS[name]


_ENGINES: dict[str, type[_SQLite] | type[_PostgreSQL]] = {"sqlite": _SQLite, "postgresql": _PostgreSQL}
