"""The offline quiz writer: cloze questions from a lesson's own sentences and its reference passages.

Each question takes one sentence of the lesson (or of a passage) that holds a key term of the
course, blanks the term out and asks for it: as a single choice between the term and other key
terms of the course (none of them in the sentence), or, when the course has too few terms to
offer, as a short text answer. The key is the blanked term, so it is stated in the lesson by
construction. Deterministic: the same lesson gives the same quiz. Its sentences are translated
(gettext) into the language active when it runs: the course's (local_text runs it so).
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from momentum.generation.providers.base import (
    CourseBrief,
    LessonDraft,
    Outline,
    QuizDraft,
    QuizOptionDraft,
    QuizQuestionDraft,
)
from momentum.lib.terms import MARKS, key_terms, normalise, sentences, words

QUESTIONS = 4
DISTRACTORS = 3
MIN_SENTENCE, MAX_SENTENCE = 30, 300
MIN_WORDS = 6
BLANK = "_____"
# Markdown that is not prose: heading marks, list bullets and numbers, quote marks, emphasis.
_LINE_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)+")
_INLINE_MARKUP = re.compile(r"\*\*|__|[*_`]")
# The offline lesson's own scaffolding: sentences about the lesson, not about the subject (each
# phrase as the lesson's templates say it, in every language: local_text's messages hold them).
_SCAFFOLD = (
    gettext_noop("reference puts it"),
    gettext_noop("terms to remember"),
    gettext_noop("term your reference material"),
    gettext_noop("one-line definition"),
)
_SCAFFOLD_WORDS = (gettext_noop("reference puts it"), gettext_noop("reference material"))


def _scaffold() -> list[str]:
    """The scaffold phrases in the active language and in English."""
    return sorted({said.lower() for phrase in _SCAFFOLD for said in (phrase, _(phrase))})


def _scaffold_words() -> list[str]:
    return sorted({said for phrase in _SCAFFOLD_WORDS for said in (phrase, _(phrase))})


def _prose(markdown: str) -> list[str]:
    """The sentences of ``markdown`` as plain text, each line on its own (bullets are sentences)."""
    found: list[str] = []
    for line in markdown.splitlines():
        text = _INLINE_MARKUP.sub("", _LINE_MARKUP.sub("", line)).replace("&lt;", "<").replace("&gt;", ">")
        text = text.replace("&amp;", "&").strip()
        # A quotation is its own sentence ("**term**: as the reference puts it, “...”" asks the quote).
        for part in re.split(r"[“”]", text):
            if part.strip(" :,"):
                found.extend(sentences(part.strip(" :,")))
    return found


def _holds(sentence: str, term: str) -> re.Match[str] | None:
    return _term_pattern(term).search(sentence)


@functools.lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern[str]:
    # Compiled once per term: a course asks tens of thousands of sentence/term pairs, more
    # patterns than the re module's own cache keeps.
    return re.compile(rf"(?<![\w{MARKS}-]){re.escape(term)}(?![\w{MARKS}-])", re.IGNORECASE)


def course_terms(brief: CourseBrief, outline: Outline, passages: Sequence[str]) -> list[str]:
    """The key terms of the whole course: its reference passages and its plan."""
    plan = [f"{day.title}. {day.summary}. {'. '.join(day.objectives)}." for day in outline.days]
    return list(_key_terms_of((*brief.passages, *passages, *plan), brief.topic, tuple(_scaffold_words())))


@functools.lru_cache(maxsize=32)
def _key_terms_of(texts: tuple[str, ...], topic: str, scaffold: tuple[str, ...]) -> tuple[str, ...]:
    # The same for every lesson of a course: computed once per course, not once per quiz.
    return tuple(key_terms(texts, limit=30, exclude=[topic, *scaffold]))


def cloze_quiz(
    brief: CourseBrief, outline: Outline, lesson: LessonDraft, day: int, passages: Sequence[str]
) -> QuizDraft:
    # The subject's own terms (from the references) come first, as keys and as distractors.
    exclude = [brief.topic, *_scaffold_words()]
    scaffold = _scaffold()
    reference_terms = key_terms([*brief.passages, *passages], limit=30, exclude=exclude) if passages else []
    lesson_terms = key_terms([lesson.content_markdown, *passages], limit=16, exclude=exclude)
    terms = _unique([*reference_terms, *lesson_terms, *course_terms(brief, outline, passages)])
    # The subject's own prose first (the passages, which the lesson quotes), then the lesson's.
    candidates = [
        s for s in _unique([*_prose("\n".join(passages)), *_prose(lesson.content_markdown)])
        if MIN_SENTENCE <= len(s) <= MAX_SENTENCE and len(s.split()) >= MIN_WORDS and BLANK not in s
        and not any(phrase in s.lower() for phrase in scaffold)
    ]  # fmt: skip
    questions: list[QuizQuestionDraft] = []
    used_terms: set[str] = set()
    asked: list[set[str]] = []  # the words of the sentences asked about: one question per sentence
    for term in _unique([*[t for t in reference_terms if t in lesson_terms], *lesson_terms, *terms]):
        if len(questions) == QUESTIONS:
            break
        if term in used_terms:
            continue
        sentence = next((s for s in candidates if _holds(s, term) and not _repeats(s, asked)), None)
        if sentence is None:
            continue
        pools = (reference_terms, terms) if reference_terms else (terms,)
        questions.append(_question(sentence, term, pools, seed=f"{day}:{len(questions)}"))
        used_terms.add(term)
        asked.append(set(words(sentence)))
    return QuizDraft.model_construct(questions=questions)


def _repeats(sentence: str, asked: list[set[str]]) -> bool:
    """Whether ``sentence`` says mostly what an asked sentence said (a quote and its paraphrase)."""
    mine = set(words(sentence))
    return any(len(mine & other) >= 0.6 * max(1, min(len(mine), len(other))) for other in asked)


def _question(sentence: str, term: str, pools: Sequence[Sequence[str]], *, seed: str) -> QuizQuestionDraft:
    match = _holds(sentence, term)
    assert match is not None  # noqa: S101  (the caller chose the sentence for holding the term)
    key = match.group(0)
    cloze = f"{sentence[: match.start()]}{BLANK}{sentence[match.end() :]}"
    explanation = _("The lesson says: “%(sentence)s”") % {"sentence": normalise(sentence)}
    prompt = _("Which term fills the blank? “%(sentence)s”") % {"sentence": cloze}
    distractors: list[str] = []
    for pool in pools:  # the subject's own terms first: they make the closest distractors
        more = _distractors(
            key, sentence, [t for t in pool if t.casefold() not in {d.casefold() for d in distractors}], seed
        )
        distractors += more[: DISTRACTORS - len(distractors)]
    if len(distractors) < 2:
        return QuizQuestionDraft(
            kind="short_text",
            prompt=prompt,
            accepted_answers=[key],
            explanation=explanation,
        )
    options = [QuizOptionDraft(text=key, correct=True), *(QuizOptionDraft(text=d, correct=False) for d in distractors)]
    return QuizQuestionDraft(kind="single", prompt=prompt, options=options, explanation=explanation)


def _distractors(key: str, sentence: str, terms: Sequence[str], seed: str) -> list[str]:
    """Other key terms of the course, none of them in the sentence or overlapping the key."""
    folded = key.casefold()
    pool = [
        term for term in terms
        if term.casefold() != folded and folded not in term.casefold() and term.casefold() not in folded
        and not _holds(sentence, term)
    ]  # fmt: skip
    if not pool:
        return []
    # Distractors shaped like the key (as many words) read as real alternatives; the rest follow.
    size = len(key.split())
    alike = [term for term in pool if len(term.split()) == size]
    others = [term for term in pool if len(term.split()) != size]
    start = zlib.crc32(seed.encode()) % len(alike) if alike else 0
    return (alike[start:] + alike[:start] + others)[:DISTRACTORS]


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            kept.append(item)
    return kept
