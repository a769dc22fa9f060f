"""The offline text provider: a deterministic draft course built from the brief and its references.

It writes no prose it cannot stand behind: the plan follows a fixed progression (foundations,
guided practice, a small project, review) sized to the course length and pitched at its level,
and every subject-specific statement comes from the reference passages, quoted as such. Without
references the lessons are scaffolds with exercises the admin fills in. The note that the draft
was generated offline and must be reviewed (``review_note``) is for the admin, who sees it in the
studio; it is never part of the text learners read. Same brief, same passages, same course.

It writes in the brief's language: every sentence of its templates is translated with gettext
(momentum/generation/locale), and each call runs under ``translation.override(brief.language)``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from momentum.generation.providers.base import (
    CourseBrief,
    LessonDraft,
    Outline,
    OutlineDay,
    QuizDraft,
    TextResult,
    Usage,
)
from momentum.generation.providers.offline.cloze_quiz import cloze_quiz
from momentum.lib.terms import bm25_scores, key_terms, normalise, sentences

MODEL = "local-draft-v1"
P = ParamSpec("P")
R = TypeVar("R")
# For the admin, in the studio: English, like the rest of the job's record.
REVIEW_NOTE = (
    "Draft generated offline by Momentum's local generator from the course brief and any reference passages. "
    "Review, correct and extend it before publishing."
)

# Days per phase for each course length: foundations, practice, project, review.
PHASE_DAYS: dict[int, tuple[int, int, int, int]] = {7: (2, 2, 2, 1), 14: (4, 5, 3, 2), 21: (6, 7, 5, 3)}
PHASES = ("foundations", "practice", "project", "review")


@dataclass(frozen=True)
class _Level:
    label: str | Promise
    understand: str | Promise  # "{x}" is the subject of the day
    spot: str | Promise
    apply: str | Promise
    review: str | Promise
    minutes: int
    pace: str | Promise


LEVELS = {
    "BEGINNER": _Level(
        gettext_lazy("beginner"),
        understand=gettext_lazy("Explain {x} in your own words"),
        spot=gettext_lazy("Recognise {x} in a short example"),
        apply=gettext_lazy("Use {x} on a simple, concrete problem"),
        review=gettext_lazy("Check your own understanding of {x}"),
        minutes=10,
        pace=gettext_lazy("no prior knowledge assumed"),
    ),
    "INTERMEDIATE": _Level(
        gettext_lazy("intermediate"),
        understand=gettext_lazy("Explain {x} precisely and compare it with the alternatives"),
        spot=gettext_lazy("Use {x} in a short, realistic example"),
        apply=gettext_lazy("Apply {x} to a realistic problem"),
        review=gettext_lazy("Assess your understanding of {x} honestly"),
        minutes=15,
        pace=gettext_lazy("some working familiarity assumed"),
    ),
    "ADVANCED": _Level(
        gettext_lazy("advanced"),
        understand=gettext_lazy("Analyse {x} and its trade-offs"),
        spot=gettext_lazy("Judge when {x} is the right tool and when it is not"),
        apply=gettext_lazy("Apply {x} to an open-ended, real-world problem"),
        review=gettext_lazy("Critically assess your mastery of {x}"),
        minutes=20,
        pace=gettext_lazy("solid experience assumed"),
    ),
}

# Subjects for days without a reference term of their own, per phase; {topic} is the short topic.
_FOUNDATION_SUBJECTS = (
    gettext_lazy("the core vocabulary of {topic}"),
    gettext_lazy("how {topic} works step by step"),
    gettext_lazy("the building blocks of {topic}"),
    gettext_lazy("common patterns in {topic}"),
    gettext_lazy("tools and set-up for {topic}"),
    gettext_lazy("typical mistakes in {topic} and how to avoid them"),
)
_PRACTICE_SUBJECTS = (
    gettext_lazy("a first guided exercise"),
    gettext_lazy("working through a realistic case"),
    gettext_lazy("combining what you know"),
    gettext_lazy("troubleshooting and debugging"),
    gettext_lazy("making it reliable"),
    gettext_lazy("working faster with good habits"),
    gettext_lazy("a timed challenge"),
)
# (title, what the day's work is)
_PROJECT_STEPS = (
    (
        gettext_lazy("Project kick-off: plan a small {topic} project"),
        gettext_lazy("choose a small project, define what done means, plan the steps"),
    ),
    (gettext_lazy("Project build: the core"), gettext_lazy("build the smallest version of your project that works")),
    (
        gettext_lazy("Project build: extending it"),
        gettext_lazy("extend your project with one more idea from the course"),
    ),
    (
        gettext_lazy("Project polish: test and get feedback"),
        gettext_lazy("test your project, ask for feedback and fix what matters most"),
    ),
    (
        gettext_lazy("Project showcase: present what you built"),
        gettext_lazy("present what you built and explain the choices you made"),
    ),
)
_PROJECT_FINISH = (
    gettext_lazy("Project: finish, test and present it"),
    gettext_lazy("finish your project, test it and present it"),
)
_REVIEW_TITLES = (
    gettext_lazy("Review: the key ideas of {topic}"),
    gettext_lazy("Self-assessment: check your understanding"),
    gettext_lazy("Where to go from here"),
)


def _clip(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    text = normalise(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-")
    return f"{cut}…"


def _plain(text: str) -> str:
    """A passage sentence safe to embed in Markdown: no leading heading/quote/list markers, no HTML."""
    return re.sub(r"^[#>*+\-\d.\s]+", "", normalise(text))


def _markdown_safe(text: str) -> str:
    """Reference text shown as text: the Markdown renderer must not read it as HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _phase_of(duration_days: int) -> list[tuple[str, int, int]]:
    """(phase, index within the phase, days in the phase) for each day 1..duration_days."""
    counts = PHASE_DAYS.get(duration_days)
    if counts is None:  # not a Momentum length; keep the proportions of a 14-day course
        foundations = max(1, round(duration_days * 0.3))
        practice = max(1, round(duration_days * 0.35))
        project = max(1, round(duration_days * 0.2))
        counts = (foundations, practice, project, max(1, duration_days - foundations - practice - project))
    plan: list[tuple[str, int, int]] = []
    for phase, count in zip(PHASES, counts, strict=True):
        plan.extend((phase, index, count) for index in range(count))
    return plan[:duration_days]


def _ranges(plan: list[tuple[str, int, int]]) -> dict[str, tuple[int, int]]:
    ranges: dict[str, tuple[int, int]] = {}
    for day, (phase, _index, _count) in enumerate(plan, start=1):
        first, _last = ranges.get(phase, (day, day))
        ranges[phase] = (first, day)
    return ranges


def _days_text(first: int, last: int) -> str:
    if first == last:
        return _("day %(day)s") % {"day": first}
    return _("days %(first)s to %(last)s") % {"first": first, "last": last}


def _fill(template: str | Promise, **values: Any) -> str:
    """A translated template with ``{name}`` fields, filled."""
    return str(template).format(**values)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _in_course_language(method: Callable[P, R]) -> Callable[P, R]:
    """Run a provider method with the brief's language active (its second argument)."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        brief = args[1]
        with translation.override(getattr(brief, "language", "en") or "en"):
            return method(*args, **kwargs)

    return run


class LocalTextProvider:
    """The ``local`` text provider. Offline, free, deterministic."""

    name = "local"
    review_note = REVIEW_NOTE

    def probe(self) -> str:
        return "offline draft generator"

    # --- The plan ---------------------------------------------------------------------------

    @_in_course_language
    def outline(self, brief: CourseBrief) -> TextResult[Outline]:
        topic = _clip(brief.topic, 80)
        level = LEVELS.get(brief.level, LEVELS["BEGINNER"])
        plan = _phase_of(brief.duration_days)
        terms = key_terms(brief.passages, limit=16, exclude=[brief.topic]) if brief.passages else []
        focus_days = [day for day, (phase, _i, _n) in enumerate(plan, start=1) if phase in {"foundations", "practice"}]
        focus = (
            {day: terms[(position - 1) % len(terms)] for position, day in enumerate(focus_days[1:], start=1)}
            if terms
            else {}
        )
        days = [
            self._outline_day(day, phase, index, count, topic=topic, level=level, brief=brief, focus=focus, terms=terms)
            for day, (phase, index, count) in enumerate(plan, start=1)
        ]
        ranges = _ranges(plan)
        values = {"days": brief.duration_days, "level": level.label, "topic": topic, "pace": level.pace}
        if brief.audience.strip():
            opening = _("A %(days)s-day %(level)s course on %(topic)s for %(audience)s (%(pace)s).") % {
                **values,
                "audience": _clip(brief.audience, 200),
            }
        else:
            opening = _("A %(days)s-day %(level)s course on %(topic)s (%(pace)s).") % values
        parts = [
            opening,
            _(
                "It moves from foundations (%(foundations)s) through guided practice (%(practice)s) "
                "and a small project (%(project)s) to a review (%(review)s)."
            )
            % {phase: _days_text(*ranges[phase]) for phase in PHASES},
        ]
        if terms:
            parts.append(
                _("It is grounded in your reference material, around %(terms)s.") % {"terms": ", ".join(terms[:5])}
            )
        if brief.tone.strip():
            parts.append(_("Intended tone: %(tone)s.") % {"tone": _clip(brief.tone, 100)})
        outline = Outline(
            title=_clip(_("%(topic)s: a %(days)s-day %(level)s course") % values, 200),
            description=_clip(" ".join(parts), 2000),
            days=days,
        )
        return TextResult(value=outline, usage=Usage(), model=MODEL)

    def _outline_day(
        self,
        day: int,
        phase: str,
        index: int,
        count: int,
        *,
        topic: str,
        level: _Level,
        brief: CourseBrief,
        focus: dict[int, str],
        terms: list[str],
    ) -> OutlineDay:
        term = focus.get(day)
        if day == 1:
            title = _("Welcome to %(topic)s: the big picture") % {"topic": topic}
            summary = _("What %(topic)s is, why it matters and how the next %(days)s days build on each other.") % {
                "topic": topic,
                "days": brief.duration_days - 1,
            }
            if terms:
                summary += " " + _("First look at %(terms)s.") % {"terms": ", ".join(terms[:3])}
            objectives = [
                _("Describe what %(topic)s is and where it is used") % {"topic": topic},
                _("Name the main ideas this course covers"),
                _("Set a personal goal for the course"),
            ]
        elif phase == "foundations" and term:
            title = _("Understanding %(term)s") % {"term": term}
            summary = _(
                "The foundations of %(topic)s: %(term)s, what it means and how it connects to what came before."
            ) % {"topic": topic, "term": term}
            objectives = [
                _fill(level.understand, x=term),
                _fill(level.spot, x=term),
                _("Connect %(term)s to the rest of %(topic)s") % {"term": term, "topic": topic},
            ]
        elif phase == "foundations":
            subject = _fill(_FOUNDATION_SUBJECTS[(index - 1) % len(_FOUNDATION_SUBJECTS)], topic=topic)
            title = _capitalised(subject)
            summary = _("The foundations of %(topic)s: %(subject)s, and how it connects to what came before.") % {
                "topic": topic,
                "subject": subject,
            }
            objectives = [
                _("Summarise %(subject)s in a few sentences of your own") % {"subject": subject},
                _("Find an example of %(subject)s in your own work or surroundings") % {"subject": subject},
                _("Write down one question to come back to"),
            ]
        elif phase == "practice":
            subject = term or str(_PRACTICE_SUBJECTS[index % len(_PRACTICE_SUBJECTS)])
            title = (
                _("Practice: working with %(subject)s") % {"subject": subject}
                if term
                else _("Practice: %(subject)s") % {"subject": subject}
            )
            summary = _(
                "Hands-on practice with %(topic)s: %(subject)s, with a worked example and an exercise to do yourself."
            ) % {"topic": topic, "subject": subject}
            objectives = [
                _fill(level.apply, x=term)
                if term
                else _fill(level.apply, x=_("what you know of %(topic)s") % {"topic": topic}),
                _("Check your result against a worked example"),
                _("Note what was hard and why"),
            ]
        elif phase == "project":
            template, work = self._project_step(index, count)
            title = _fill(template, topic=topic)
            summary = _("A small project that puts %(topic)s to work. Today: %(work)s.") % {
                "topic": topic,
                "work": work,
            }
            objectives = [
                _capitalised(str(work)),
                _("Apply the ideas of the course to a project of your own"),
                _("Write down decisions and open questions"),
            ]
        else:
            template = _REVIEW_TITLES[index] if count == len(_REVIEW_TITLES) else self._review_title(index, count)
            title = _fill(template, topic=topic)
            summary = _(
                "Looking back at %(topic)s: the key ideas, the exercises that were hardest, and what to do next."
            ) % {"topic": topic}
            objectives = [
                _fill(level.review, x=topic) if index == 0 else _("Revisit the ideas you found hardest"),
                _("Redo one exercise without looking at your notes"),
                _("Plan your next step after the course"),
            ]
        return OutlineDay(day=day, title=_clip(title, 200), summary=_clip(summary, 1000), objectives=objectives)

    @staticmethod
    def _project_step(index: int, count: int) -> tuple[str | Promise, str | Promise]:
        if count == len(_PROJECT_STEPS):
            return _PROJECT_STEPS[index]
        if index == 0:
            return _PROJECT_STEPS[0]
        if index == count - 1:
            return _PROJECT_FINISH if count == 2 else _PROJECT_STEPS[-1]
        middle = _PROJECT_STEPS[1:-1]
        return middle[(index - 1) % len(middle)]

    @staticmethod
    def _review_title(index: int, count: int) -> str | Promise:
        if count == 1:
            return gettext_lazy("Review and next steps in {topic}")
        return _REVIEW_TITLES[0] if index == 0 else _REVIEW_TITLES[-1] if index == count - 1 else _REVIEW_TITLES[1]

    # --- A lesson ---------------------------------------------------------------------------

    @_in_course_language
    def lesson(
        self, brief: CourseBrief, outline: Outline, day: int, passages: tuple[str, ...]
    ) -> TextResult[LessonDraft]:
        entry = next((d for d in outline.days if d.day == day), None)
        if entry is None:
            raise ValueError(f"the outline has no day {day}")
        topic = _clip(brief.topic, 80)
        level = LEVELS.get(brief.level, LEVELS["BEGINNER"])
        plan = _phase_of(max(brief.duration_days, len(outline.days)))
        phase = plan[day - 1][0] if day <= len(plan) else "review"
        grounding = passages or brief.passages
        query = " ".join([entry.title, entry.summary, *entry.objectives])
        quotes = self._quotes(grounding, query)
        terms = key_terms(grounding, limit=5, exclude=[brief.topic]) if grounding else []

        # No title heading: the lesson page shows the title above the text.
        lines = [entry.summary, ""]
        lines += ["## " + _("What you will learn"), "", *[f"- {objective}" for objective in entry.objectives], ""]
        why = self._why(phase, topic, level, brief, day=day, total=len(outline.days))
        lines += ["## " + _("Why it matters"), "", why, ""]
        lines += ["## " + _("Key ideas"), ""]
        lines += self._key_ideas(terms, quotes, entry, topic)
        if quotes:
            lines += ["", "## " + _("From the reference material"), ""]
            for quote in quotes:
                lines += [f"> {_markdown_safe(quote)}", ">"]
            lines.pop()
        lines += ["", *self._activity(phase, topic, level, entry, terms), ""]
        takeaways = self._takeaways(entry, terms, topic)
        lines += ["## " + _("Key takeaways"), "", *[f"- {t}" for t in takeaways], ""]
        content = "\n".join(lines).strip() + "\n"

        narration = self._narration(outline, entry, quotes, takeaways, day)
        minutes = level.minutes + (5 if phase == "project" else 0)
        draft = LessonDraft(
            title=entry.title,
            summary=entry.summary,
            content_markdown=content[:40_000],
            narration=narration,
            duration_minutes=minutes,
        )
        return TextResult(value=draft, usage=Usage(), model=MODEL)

    # --- A quiz -----------------------------------------------------------------------------

    @_in_course_language
    def quiz(
        self,
        brief: CourseBrief,
        outline: Outline,
        lesson: LessonDraft,
        day: int,
        passages: tuple[str, ...],
        *,
        feedback: tuple[str, ...] = (),
    ) -> TextResult[QuizDraft]:
        """Cloze questions from the lesson's sentences and passages (see cloze_quiz); ``feedback``
        changes nothing: the same lesson gives the same quiz."""
        return TextResult(value=cloze_quiz(brief, outline, lesson, day, passages), usage=Usage(), model=MODEL)

    @staticmethod
    def _quotes(passages: tuple[str, ...], query: str, limit: int = 4) -> list[str]:
        """The sentences of ``passages`` most relevant to ``query``, in reading order."""
        candidates = [
            s for passage in passages for s in sentences(passage) if 40 <= len(s) <= 600 and len(s.split()) >= 6
        ]
        if not candidates:
            return []
        scores = bm25_scores(candidates, query)
        ranked = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
        chosen: list[int] = []
        seen: set[str] = set()
        for i in ranked:
            key = candidates[i].lower()
            if key not in seen:
                chosen.append(i)
                seen.add(key)
            if len(chosen) == limit:
                break
        return [_plain(candidates[i]) for i in sorted(chosen)]

    @staticmethod
    def _why(phase: str, topic: str, level: _Level, brief: CourseBrief, *, day: int, total: int) -> str:
        audience = (
            _clip(brief.audience, 200) if brief.audience.strip() else _("a %(level)s learner") % {"level": level.label}
        )
        if phase == "foundations":
            return _(
                "Everything later in this course rests on today's ideas. For %(audience)s, a clear mental model of "
                "these basics makes the practice days faster and the project less frustrating."
            ) % {"audience": audience}
        if phase == "practice":
            return _(
                "Reading about %(topic)s is not the same as doing it. Working through a problem yourself shows "
                "which parts you have understood and which need another look — that is the point of today."
            ) % {"topic": topic}
        if phase == "project":
            return _(
                "A project ties the separate ideas of %(topic)s together and leaves you with something you made. "
                "Keep it small: a finished small project teaches more than an ambitious unfinished one."
            ) % {"topic": topic}
        return _(
            "This is day %(day)s of %(total)s. Reviewing now, while the material is fresh, turns what you learnt "
            "into something you will still know in a month."
        ) % {"day": day, "total": total}

    @staticmethod
    def _key_ideas(terms: list[str], quotes: list[str], entry: OutlineDay, topic: str) -> list[str]:
        lines: list[str] = []
        for term in terms[:4]:
            source = next((q for q in quotes if term.lower() in q.lower()), None)
            if source:
                quote = _markdown_safe(_clip(source, 300))
                lines.append(f"- **{term}**: " + _("as the reference puts it, “%(quote)s”") % {"quote": quote})
            else:
                lines.append(
                    f"- **{term}**: " + _("a term your reference material uses often; write a one-line definition.")
                )
        if not lines:  # no reference material: a scaffold the admin fills in
            for objective in entry.objectives:
                lines.append(
                    f"- {objective}: " + _("note one concrete case where this applies to %(topic)s.") % {"topic": topic}
                )
        return lines

    @staticmethod
    def _activity(phase: str, topic: str, level: _Level, entry: OutlineDay, terms: list[str]) -> list[str]:
        in_title = [term for term in terms if term.lower() in entry.title.lower()]
        focus = (in_title or terms or [entry.title.split(": ", 1)[-1].lower()])[0]
        values = {"focus": focus, "topic": topic}
        if phase == "foundations":
            return [
                "## " + _("Worked example"),
                "",
                "1. " + _("Write down, in one sentence, what “%(focus)s” means to you right now.") % values,
                "2. " + _("Read today's key ideas and the reference excerpts once, slowly."),
                "3. " + _("Rewrite your sentence: what changed, and what did you leave out before?"),
                "4. "
                + _("Find one real situation where %(focus)s shows up in %(topic)s and describe it in three lines.")
                % values,
            ]
        if phase == "practice":
            return [
                "## " + _("Exercise"),
                "",
                _("Take a small, real problem from your own context and apply %(focus)s to it.") % values,
                "",
                "1. " + _("State the problem and what a good result looks like."),
                "2. " + _("Work through it step by step, writing down each decision."),
                "3. " + _("Compare your approach with today's key ideas: what would you do differently?"),
                "4. " + _("Time-box it to twenty minutes; unfinished is fine, unexamined is not."),
            ]
        if phase == "project":
            return [
                "## " + _("Project task"),
                "",
                "1. " + _("Today's goal: %(goal)s") % {"goal": entry.summary},
                "2. " + _("List the three smallest steps that move your project forward, and do the first one."),
                "3. " + _("Check the result against the course's key ideas so far."),
                "4. " + _("Write a short log entry: what works, what does not yet, what comes next."),
            ]
        return [
            "## " + _("Review questions"),
            "",
            "1. " + _("Explain %(focus)s to someone who has never heard of %(topic)s.") % values,
            "2. " + _("Which day's idea was hardest? Redo its exercise without looking at your notes."),
            "3. " + _("What would you now do differently in your project?"),
            "4. " + _("Pick one next step and put it in your calendar."),
        ]

    @staticmethod
    def _takeaways(entry: OutlineDay, terms: list[str], topic: str) -> list[str]:
        takeaways = [entry.summary]
        if terms:
            takeaways.append(_("The terms to remember today: %(terms)s.") % {"terms": ", ".join(terms[:4])})
        takeaways.append(_("Doing beats reading: apply each idea of %(topic)s at least once.") % {"topic": topic})
        return takeaways

    @staticmethod
    def _narration(outline: Outline, entry: OutlineDay, quotes: list[str], takeaways: list[str], day: int) -> str:
        parts = [
            _("Welcome to day %(day)s of %(course)s.") % {"day": day, "course": outline.title},
            _("Today: %(title)s.") % {"title": entry.title},
            entry.summary,
        ]
        parts.append(
            _("By the end of this lesson you will be able to %(objectives)s.")
            % {"objectives": "; ".join(o[0].lower() + o[1:] for o in entry.objectives)}
        )
        parts += quotes[:2]
        parts.append(_("To sum up.") + " " + " ".join(t if t.endswith(".") else f"{t}." for t in takeaways))
        parts.append(
            _("See you in the next lesson.")
            if day < len(outline.days)
            else _("Congratulations on finishing the course.")
        )
        text = ""
        for part in parts:
            candidate = f"{text} {part}".strip()
            if len(candidate) > 4000:
                break
            text = candidate
        return text
