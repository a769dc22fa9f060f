"""The offline text provider writes a real, reviewable draft course, the same every time."""

from __future__ import annotations

import pytest

from momentum.generation.providers.base import CourseBrief, LessonDraft, Outline, Usage
from momentum.generation.providers.offline.local_text import LocalTextProvider

PASSAGES = (
    "Photosynthesis converts light energy into chemical energy stored in glucose. "
    "Chlorophyll absorbs red and blue light most strongly, which is why leaves look green. "
    "The light reactions take place in the thylakoid membranes of the chloroplast.",
    "The Calvin cycle fixes carbon dioxide into sugars using the ATP and NADPH made by the light reactions. "
    "The Calvin cycle runs in the stroma of the chloroplast. "
    "Rubisco is the enzyme that fixes carbon dioxide in the Calvin cycle.",
)


def brief(days: int = 7, level: str = "BEGINNER", passages: tuple[str, ...] = ()) -> CourseBrief:
    return CourseBrief(
        topic="Plant biology",
        duration_days=days,
        level=level,
        category="Science",
        audience="secondary-school teachers",
        passages=passages,
    )


@pytest.mark.parametrize("days", [7, 14, 21])
@pytest.mark.parametrize("level", ["BEGINNER", "INTERMEDIATE", "ADVANCED"])
def test_every_length_and_level_gives_a_valid_plan_and_lessons(days: int, level: str) -> None:
    provider = LocalTextProvider()
    given = brief(days, level, PASSAGES)

    outline = provider.outline(given)

    Outline.model_validate(outline.value.model_dump())
    assert [d.day for d in outline.value.days] == list(range(1, days + 1))
    assert outline.usage == Usage()
    for day in range(1, days + 1):
        lesson = provider.lesson(given, outline.value, day, PASSAGES[day % 2 : day % 2 + 1]).value
        LessonDraft.model_validate(lesson.model_dump())
        assert not lesson.content_markdown.startswith("#")  # the page shows the title; the text does not repeat it
        assert "## Key takeaways" in lesson.content_markdown


@pytest.mark.parametrize("days", [7, 14, 21])
def test_the_plan_moves_from_foundations_through_practice_and_a_project_to_review(days: int) -> None:
    titles = [d.title for d in LocalTextProvider().outline(brief(days)).value.days]

    assert titles[0].startswith("Welcome to Plant biology")
    assert any(t.startswith("Practice") for t in titles)
    first_project = next(i for i, t in enumerate(titles) if t.startswith("Project"))
    assert all(not t.startswith("Practice") for t in titles[first_project:])
    assert titles[-1].startswith(("Review", "Where to go"))


def test_the_same_brief_gives_the_same_course() -> None:
    first, second = LocalTextProvider(), LocalTextProvider()
    given = brief(14, "INTERMEDIATE", PASSAGES)

    outline = first.outline(given).value
    assert outline == second.outline(given).value
    assert first.lesson(given, outline, 5, PASSAGES) == second.lesson(given, outline, 5, PASSAGES)


def test_the_plan_and_lessons_are_built_on_the_reference_passages() -> None:
    provider = LocalTextProvider()
    given = brief(7, "BEGINNER", PASSAGES)

    outline = provider.outline(given).value
    lesson = provider.lesson(given, outline, 2, PASSAGES).value

    assert "calvin cycle" in outline.description.lower()
    assert any("calvin cycle" in d.title.lower() for d in outline.days)
    assert "## From the reference material" in lesson.content_markdown
    assert "The Calvin cycle runs in the stroma of the chloroplast." in lesson.content_markdown


def test_without_references_the_lessons_are_scaffolds_that_say_so() -> None:
    provider = LocalTextProvider()
    given = brief(7)

    outline = provider.outline(given).value
    lesson = provider.lesson(given, outline, 3, ()).value

    assert "From the reference material" not in lesson.content_markdown
    assert "## Exercise" in lesson.content_markdown
    assert len(lesson.content_markdown) >= 200


def test_the_review_note_is_for_the_admin_and_not_in_the_text_learners_read() -> None:
    provider = LocalTextProvider()
    given = brief(7)

    outline = provider.outline(given).value
    lesson = provider.lesson(given, outline, 1, ()).value

    assert "generated offline" in provider.review_note
    assert "Review" in provider.review_note
    for text in (outline.description, lesson.content_markdown, lesson.narration):
        assert "generated offline" not in text
        assert "before publishing" not in text


def test_the_narration_is_spoken_prose_within_the_limits() -> None:
    provider = LocalTextProvider()
    given = brief(7, "ADVANCED", PASSAGES)
    outline = provider.outline(given).value

    narration = provider.lesson(given, outline, 7, PASSAGES).value.narration

    assert narration.startswith("Welcome to day 7 of Plant biology")
    assert "#" not in narration
    assert narration.endswith("Congratulations on finishing the course.")


def test_reference_text_cannot_inject_html_into_a_lesson() -> None:
    provider = LocalTextProvider()
    hostile = ("The stomata regulate gas exchange <script>alert(1)</script> in the leaf of every plant species.",)
    given = brief(7, passages=hostile)
    outline = provider.outline(given).value

    lesson = provider.lesson(given, outline, 2, hostile).value

    assert "<script>" not in lesson.content_markdown
    assert "&lt;script&gt;" in lesson.content_markdown


def test_a_very_long_topic_still_gives_titles_within_the_limits() -> None:
    provider = LocalTextProvider()
    given = CourseBrief(topic="Soil " * 100, duration_days=21, level="BEGINNER", category="Science")

    outline = provider.outline(given).value

    assert all(len(d.title) <= 200 for d in outline.days)
    assert len(outline.title) <= 200


def test_the_provider_describes_itself_as_an_offline_draft_generator() -> None:
    assert LocalTextProvider().probe() == "offline draft generator"


@pytest.mark.parametrize("days", [7, 14, 21])
@pytest.mark.parametrize("passages", [PASSAGES, ()], ids=["with references", "without references"])
def test_every_offline_quiz_passes_the_same_validation_as_a_remote_one(days: int, passages: tuple[str, ...]) -> None:
    from momentum.generation import quiz_keys

    provider = LocalTextProvider()
    given = brief(days, passages=passages)
    outline = provider.outline(given).value
    quizzes = {}
    for day in range(1, days + 1):
        lesson = provider.lesson(given, outline, day, passages[:1]).value

        quiz = quiz_keys.spec_from_draft(provider.quiz(given, outline, lesson, day, passages[:1]).value)

        assert quiz_keys.quiz_problems(quiz, [lesson.content_markdown, *passages[:1]]) == [], day
        quizzes[day] = quiz
    assert quiz_keys.balanced_keys(quizzes, seed="offline").balanced


def test_an_offline_question_blanks_a_key_term_of_a_lesson_sentence_and_offers_other_terms() -> None:
    provider = LocalTextProvider()
    given = brief(7, passages=PASSAGES)
    outline = provider.outline(given).value
    lesson = provider.lesson(given, outline, 2, PASSAGES).value

    questions = provider.quiz(given, outline, lesson, 2, PASSAGES).value.questions

    assert 3 <= len(questions) <= 5
    for question in questions:
        assert "_____" in question.prompt
        key = next(option.text for option in question.options if option.correct)
        sentence = question.prompt.split("“", 1)[1].rstrip("”").replace("_____", key)
        assert sentence.lower() in (lesson.content_markdown + " ".join(PASSAGES)).replace("**", "").lower()
        assert all(option.text.lower() not in sentence.lower() for option in question.options if not option.correct)


def test_the_offline_quiz_is_the_same_every_time() -> None:
    provider = LocalTextProvider()
    given = brief(7, passages=PASSAGES)
    outline = provider.outline(given).value
    lesson = provider.lesson(given, outline, 3, PASSAGES).value

    assert provider.quiz(given, outline, lesson, 3, PASSAGES) == provider.quiz(given, outline, lesson, 3, PASSAGES)
