"""The rules every quiz keeps, whoever writes it (studio, admin API, generator)."""

from __future__ import annotations

from dataclasses import replace

from momentum.assessments.specs import (
    OptionSpec,
    QuestionKind,
    QuestionSpec,
    QuizSpec,
    normalise_answer,
    quiz_spec_problems,
)
from momentum.assessments.tests.factories import multiple, quiz_spec, short_text, single, true_false


def test_a_quiz_with_one_question_of_each_kind_is_valid() -> None:
    assert quiz_spec_problems(quiz_spec()) == []


def test_a_quiz_without_questions_is_refused() -> None:
    assert quiz_spec_problems(QuizSpec(questions=())) == ["A quiz needs at least one question."]


def test_a_single_choice_question_with_two_right_options_names_the_question() -> None:
    two_right = replace(single(), options=(OptionSpec("def", True), OptionSpec("fn", True)))
    problems = quiz_spec_problems(QuizSpec(questions=(single(), two_right)))
    assert problems == ["Question 2: a single-choice question needs exactly one right option"]


def test_a_multiple_choice_question_needs_a_wrong_option_too() -> None:
    all_right = replace(multiple(), options=(OptionSpec("list", True), OptionSpec("dict", True)))
    assert quiz_spec_problems(QuizSpec(questions=(all_right,))) == [
        "Question 1: a multiple-choice question needs at least one right and one wrong option"
    ]


def test_options_that_differ_only_in_case_and_spacing_are_the_same_option() -> None:
    repeated = single("Pick one", "Def", " def ")
    assert "Question 1: two options say the same thing" in quiz_spec_problems(QuizSpec(questions=(repeated,)))


def test_a_choice_question_has_two_to_six_options() -> None:
    seven = single("Pick one", "a", "b", "c", "d", "e", "f", "g")
    one = replace(single(), options=(OptionSpec("def", True),))
    problems = quiz_spec_problems(QuizSpec(questions=(seven, one)))
    assert "Question 1: a choice question needs 2 to 6 options" in problems
    assert "Question 2: a choice question needs 2 to 6 options" in problems


def test_a_true_false_question_has_exactly_two_options() -> None:
    three = replace(true_false(), options=(*true_false().options, OptionSpec("Maybe", False)))
    assert "Question 1: a true/false question has exactly two options" in quiz_spec_problems(
        QuizSpec(questions=(three,))
    )


def test_a_short_text_question_needs_an_accepted_answer_and_no_options() -> None:
    bare = QuestionSpec(
        kind=QuestionKind.SHORT_TEXT, prompt="Name it", explanation="", options=(OptionSpec("x", True),)
    )
    assert quiz_spec_problems(QuizSpec(questions=(bare,))) == [
        "Question 1: a short-text question has no options",
        "Question 1: a short-text question needs at least one accepted answer",
    ]


def test_the_pass_mark_and_attempt_limit_are_bounded() -> None:
    problems = quiz_spec_problems(QuizSpec(questions=(short_text(),), pass_percent=101, max_attempts=0))
    assert problems == [
        "The pass mark must be between 0 and 100 percent.",
        "The attempt limit must be at least 1 (or none).",
    ]


def test_answers_are_compared_after_trimming_case_folding_and_unicode_normalisation() -> None:
    assert normalise_answer("  STRASSE ") == normalise_answer("straße")
    assert normalise_answer("\uff50\uff52\uff49\uff4e\uff54")  # full-width letters == "print"
    assert normalise_answer("print\u00a0 ()") == "print ()"
