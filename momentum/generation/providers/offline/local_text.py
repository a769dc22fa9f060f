"""The offline text provider: a deterministic draft course built from the brief and its references.

It writes no prose it cannot stand behind: the plan follows a fixed progression (foundations,
guided practice, a small project, review) sized to the course length and pitched at its level,
and every subject-specific statement comes from the reference passages, quoted as such. Without
references the lessons are scaffolds with exercises the admin fills in. The note that the draft
was generated offline and must be reviewed (``review_note``) is for the admin, who sees it in the
studio; it is never part of the text learners read. Same brief, same passages, same course.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
REVIEW_NOTE = (
    "Draft generated offline by Momentum's local generator from the course brief and any reference passages. "
    "Review, correct and extend it before publishing."
)

# Days per phase for each course length: foundations, practice, project, review.
PHASE_DAYS: dict[int, tuple[int, int, int, int]] = {7: (2, 2, 2, 1), 14: (4, 5, 3, 2), 21: (6, 7, 5, 3)}
PHASES = ("foundations", "practice", "project", "review")


@dataclass(frozen=True)
class _Level:
    label: str
    understand: str  # "{x}" is the subject of the day
    spot: str
    apply: str
    review: str
    minutes: int
    pace: str


LEVELS = {
    "BEGINNER": _Level(
        "beginner",
        understand="Explain {x} in your own words",
        spot="Recognise {x} in a short example",
        apply="Use {x} on a simple, concrete problem",
        review="Check your own understanding of {x}",
        minutes=10,
        pace="no prior knowledge assumed",
    ),
    "INTERMEDIATE": _Level(
        "intermediate",
        understand="Explain {x} precisely and compare it with the alternatives",
        spot="Use {x} in a short, realistic example",
        apply="Apply {x} to a realistic problem",
        review="Assess your understanding of {x} honestly",
        minutes=15,
        pace="some working familiarity assumed",
    ),
    "ADVANCED": _Level(
        "advanced",
        understand="Analyse {x} and its trade-offs",
        spot="Judge when {x} is the right tool and when it is not",
        apply="Apply {x} to an open-ended, real-world problem",
        review="Critically assess your mastery of {x}",
        minutes=20,
        pace="solid experience assumed",
    ),
}

# Subjects for days without a reference term of their own, per phase; {topic} is the short topic.
_FOUNDATION_SUBJECTS = (
    "the core vocabulary of {topic}",
    "how {topic} works step by step",
    "the building blocks of {topic}",
    "common patterns in {topic}",
    "tools and set-up for {topic}",
    "typical mistakes in {topic} and how to avoid them",
)
_PRACTICE_SUBJECTS = (
    "a first guided exercise",
    "working through a realistic case",
    "combining what you know",
    "troubleshooting and debugging",
    "making it reliable",
    "working faster with good habits",
    "a timed challenge",
)
# (title, what the day's work is)
_PROJECT_STEPS = (
    (
        "Project kick-off: plan a small {topic} project",
        "choose a small project, define what done means, plan the steps",
    ),
    ("Project build: the core", "build the smallest version of your project that works"),
    ("Project build: extending it", "extend your project with one more idea from the course"),
    ("Project polish: test and get feedback", "test your project, ask for feedback and fix what matters most"),
    ("Project showcase: present what you built", "present what you built and explain the choices you made"),
)
_PROJECT_FINISH = ("Project: finish, test and present it", "finish your project, test it and present it")
_REVIEW_TITLES = (
    "Review: the key ideas of {topic}",
    "Self-assessment: check your understanding",
    "Where to go from here",
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
    return f"day {first}" if first == last else f"days {first} to {last}"


class LocalTextProvider:
    """The ``local`` text provider. Offline, free, deterministic."""

    name = "local"
    review_note = REVIEW_NOTE

    def probe(self) -> str:
        return "offline draft generator"

    # --- The plan ---------------------------------------------------------------------------

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
        audience = f" for {_clip(brief.audience, 200)}" if brief.audience.strip() else ""
        parts = [
            f"A {brief.duration_days}-day {level.label} course on {topic}{audience} ({level.pace}).",
            f"It moves from foundations ({_days_text(*ranges['foundations'])}) through guided practice "
            f"({_days_text(*ranges['practice'])}) and a small project ({_days_text(*ranges['project'])}) "
            f"to a review ({_days_text(*ranges['review'])}).",
        ]
        if terms:
            parts.append(f"It is grounded in your reference material, around {', '.join(terms[:5])}.")
        if brief.tone.strip():
            parts.append(f"Intended tone: {_clip(brief.tone, 100)}.")
        outline = Outline(
            title=_clip(f"{topic}: a {brief.duration_days}-day {level.label} course", 200),
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
            title = f"Welcome to {topic}: the big picture"
            summary = (
                f"What {topic} is, why it matters and how the next {brief.duration_days - 1} days build on each other."
            )
            if terms:
                summary += f" First look at {', '.join(terms[:3])}."
            objectives = [
                f"Describe what {topic} is and where it is used",
                "Name the main ideas this course covers",
                "Set a personal goal for the course",
            ]
        elif phase == "foundations" and term:
            title = f"Understanding {term}"
            summary = f"The foundations of {topic}: {term}, what it means and how it connects to what came before."
            objectives = [
                level.understand.format(x=term),
                level.spot.format(x=term),
                f"Connect {term} to the rest of {topic}",
            ]
        elif phase == "foundations":
            subject = _FOUNDATION_SUBJECTS[(index - 1) % len(_FOUNDATION_SUBJECTS)].format(topic=topic)
            title = subject[0].upper() + subject[1:]
            summary = f"The foundations of {topic}: {subject}, and how it connects to what came before."
            objectives = [
                f"Summarise {subject} in a few sentences of your own",
                f"Find an example of {subject} in your own work or surroundings",
                "Write down one question to come back to",
            ]
        elif phase == "practice":
            subject = term or _PRACTICE_SUBJECTS[index % len(_PRACTICE_SUBJECTS)]
            title = f"Practice: working with {subject}" if term else f"Practice: {subject}"
            summary = (
                f"Hands-on practice with {topic}: {subject}, with a worked example and an exercise to do yourself."
            )
            objectives = [
                level.apply.format(x=term) if term else level.apply.format(x=f"what you know of {topic}"),
                "Check your result against a worked example",
                "Note what was hard and why",
            ]
        elif phase == "project":
            template, work = self._project_step(index, count)
            title = template.format(topic=topic)
            summary = f"A small project that puts {topic} to work. Today: {work}."
            objectives = [
                work[0].upper() + work[1:],
                level.apply.format(x="the ideas of the course").replace(" problem", " project of your own"),
                "Write down decisions and open questions",
            ]
        else:
            template = _REVIEW_TITLES[index] if count == len(_REVIEW_TITLES) else self._review_title(index, count)
            title = template.format(topic=topic)
            summary = f"Looking back at {topic}: the key ideas, the exercises that were hardest, and what to do next."
            objectives = [
                level.review.format(x=topic) if index == 0 else "Revisit the ideas you found hardest",
                "Redo one exercise without looking at your notes",
                "Plan your next step after the course",
            ]
        return OutlineDay(day=day, title=_clip(title, 200), summary=_clip(summary, 1000), objectives=objectives)

    @staticmethod
    def _project_step(index: int, count: int) -> tuple[str, str]:
        if count == len(_PROJECT_STEPS):
            return _PROJECT_STEPS[index]
        if index == 0:
            return _PROJECT_STEPS[0]
        if index == count - 1:
            return _PROJECT_FINISH if count == 2 else _PROJECT_STEPS[-1]
        middle = _PROJECT_STEPS[1:-1]
        return middle[(index - 1) % len(middle)]

    @staticmethod
    def _review_title(index: int, count: int) -> str:
        if count == 1:
            return "Review and next steps in {topic}"
        return _REVIEW_TITLES[0] if index == 0 else _REVIEW_TITLES[-1] if index == count - 1 else _REVIEW_TITLES[1]

    # --- A lesson ---------------------------------------------------------------------------

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
        lines += ["## What you will learn", "", *[f"- {objective}" for objective in entry.objectives], ""]
        lines += ["## Why it matters", "", self._why(phase, topic, level, brief, day=day, total=len(outline.days)), ""]
        lines += ["## Key ideas", ""]
        lines += self._key_ideas(terms, quotes, entry, topic)
        if quotes:
            lines += ["", "## From the reference material", ""]
            for quote in quotes:
                lines += [f"> {_markdown_safe(quote)}", ">"]
            lines.pop()
        lines += ["", *self._activity(phase, topic, level, entry, terms), ""]
        takeaways = self._takeaways(entry, terms, topic)
        lines += ["## Key takeaways", "", *[f"- {t}" for t in takeaways], ""]
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
        audience = _clip(brief.audience, 200) if brief.audience.strip() else f"a {level.label} learner"
        if phase == "foundations":
            return (
                f"Everything later in this course rests on today's ideas. For {audience}, a clear mental model of "
                f"these basics makes the practice days faster and the project less frustrating."
            )
        if phase == "practice":
            return (
                f"Reading about {topic} is not the same as doing it. Working through a problem yourself shows "
                f"which parts you have understood and which need another look — that is the point of today."
            )
        if phase == "project":
            return (
                f"A project ties the separate ideas of {topic} together and leaves you with something you made. "
                f"Keep it small: a finished small project teaches more than an ambitious unfinished one."
            )
        return (
            f"This is day {day} of {total}. Reviewing now, while the material is fresh, turns what you learnt "
            f"into something you will still know in a month."
        )

    @staticmethod
    def _key_ideas(terms: list[str], quotes: list[str], entry: OutlineDay, topic: str) -> list[str]:
        lines: list[str] = []
        for term in terms[:4]:
            source = next((q for q in quotes if term.lower() in q.lower()), None)
            if source:
                lines.append(f"- **{term}**: as the reference puts it, “{_markdown_safe(_clip(source, 300))}”")
            else:
                lines.append(f"- **{term}**: a term your reference material uses often; write a one-line definition.")
        if not lines:  # no reference material: a scaffold the admin fills in
            for objective in entry.objectives:
                lines.append(f"- {objective}: note one concrete case where this applies to {topic}.")
        return lines

    @staticmethod
    def _activity(phase: str, topic: str, level: _Level, entry: OutlineDay, terms: list[str]) -> list[str]:
        in_title = [term for term in terms if term.lower() in entry.title.lower()]
        focus = (in_title or terms or [entry.title.split(": ", 1)[-1].lower()])[0]
        if phase == "foundations":
            return [
                "## Worked example",
                "",
                f"1. Write down, in one sentence, what “{focus}” means to you right now.",
                "2. Read today's key ideas and the reference excerpts once, slowly.",
                "3. Rewrite your sentence: what changed, and what did you leave out before?",
                f"4. Find one real situation where {focus} shows up in {topic} and describe it in three lines.",
            ]
        if phase == "practice":
            return [
                "## Exercise",
                "",
                f"Take a small, real problem from your own context and apply {focus} to it.",
                "",
                "1. State the problem and what a good result looks like.",
                "2. Work through it step by step, writing down each decision.",
                "3. Compare your approach with today's key ideas: what would you do differently?",
                "4. Time-box it to twenty minutes; unfinished is fine, unexamined is not.",
            ]
        if phase == "project":
            return [
                "## Project task",
                "",
                f"1. Today's goal: {entry.summary}",
                "2. List the three smallest steps that move your project forward, and do the first one.",
                "3. Check the result against the course's key ideas so far.",
                "4. Write a short log entry: what works, what does not yet, what comes next.",
            ]
        return [
            "## Review questions",
            "",
            f"1. Explain {focus} to someone who has never heard of {topic}.",
            "2. Which day's idea was hardest? Redo its exercise without looking at your notes.",
            "3. What would you now do differently in your project?",
            "4. Pick one next step and put it in your calendar.",
        ]

    @staticmethod
    def _takeaways(entry: OutlineDay, terms: list[str], topic: str) -> list[str]:
        takeaways = [entry.summary]
        if terms:
            takeaways.append(f"The terms to remember today: {', '.join(terms[:4])}.")
        takeaways.append(f"Doing beats reading: apply each idea of {topic} at least once.")
        return takeaways

    @staticmethod
    def _narration(outline: Outline, entry: OutlineDay, quotes: list[str], takeaways: list[str], day: int) -> str:
        parts = [f"Welcome to day {day} of {outline.title}.", f"Today: {entry.title}.", entry.summary]
        parts.append(
            "By the end of this lesson you will be able to "
            + "; ".join(o[0].lower() + o[1:] for o in entry.objectives)
            + "."
        )
        parts += quotes[:2]
        parts.append("To sum up. " + " ".join(t if t.endswith(".") else f"{t}." for t in takeaways))
        parts.append(
            "See you in the next lesson." if day < len(outline.days) else "Congratulations on finishing the course."
        )
        text = ""
        for part in parts:
            candidate = f"{text} {part}".strip()
            if len(candidate) > 4000:
                break
            text = candidate
        return text
