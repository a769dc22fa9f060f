"""Keys that hold: a generated quiz is saved only when its keys are right, stated in the lesson,
and spread over the option positions across the course."""

from __future__ import annotations

from momentum.assessments.specs import QuizSpec
from momentum.generation import quiz_keys
from momentum.generation.providers.base import QuizDraft
from momentum.generation.tests.fake_servers import fake_lesson, fake_quiz

LESSON = fake_lesson("Knife skills", 1)["content_markdown"]


def spec(fault: str | None = None) -> QuizSpec:
    return quiz_keys.spec_from_draft(QuizDraft.model_validate(fake_quiz("Knife skills", 1, fault)))


def test_a_quiz_whose_keys_the_lesson_states_passes() -> None:
    assert quiz_keys.quiz_problems(spec(), [LESSON]) == []


def test_two_right_options_on_a_single_choice_question_are_refused() -> None:
    problems = quiz_keys.quiz_problems(spec("two_right"), [LESSON])

    assert "Question 1: a single-choice question needs exactly one right option" in problems


def test_a_key_the_lesson_never_states_is_refused() -> None:
    problems = quiz_keys.quiz_problems(spec("key_absent"), [LESSON])

    assert problems == ["Question 1: the right answer 'A strong cup of coffee' is not stated in the lesson"]
    assert quiz_keys.problem_kind(problems[0]) == "the key is not stated in the lesson"


def test_repeated_options_are_refused_even_when_case_and_spaces_differ() -> None:
    problems = quiz_keys.quiz_problems(spec("repeated_options"), [LESSON])

    assert "Question 1: two options say the same thing" in problems


def test_a_key_stated_only_in_a_reference_passage_is_grounded() -> None:
    passage = "A strong cup of coffee helps nobody cut straight."

    assert quiz_keys.quiz_problems(spec("key_absent"), [LESSON, passage]) == []


def test_grounding_ignores_markdown_case_and_punctuation() -> None:
    problems = quiz_keys.grounding_problems(spec(), ["Every practice starts with **a Clear mental-model**."])

    assert not [problem for problem in problems if problem.startswith("Question 1:")]


def test_a_quiz_of_two_questions_is_too_short() -> None:
    short = quiz_keys.spec_from_draft(QuizDraft.model_construct(questions=QuizDraft.model_validate(
        fake_quiz("Knife skills", 1)).questions[:2]))  # fmt: skip

    assert "A generated quiz has 3 to 5 questions, not 2." in quiz_keys.quiz_problems(short, [LESSON])


def test_keys_all_at_b_are_spread_so_no_position_holds_more_than_40_percent() -> None:
    # Given 21 quizzes whose keys a model put at "B" every time
    course = {day: spec() for day in range(1, 22)}
    assert quiz_keys.key_positions(course.values()) == {"B": 63}  # three choice questions a day

    # When they are shuffled for the course
    balanced = quiz_keys.balanced_keys(course, seed="job-1")

    # Then no option position holds more than 40 % of the keys, each question kept its right answers
    assert balanced.balanced
    assert max(balanced.positions.values()) / sum(balanced.positions.values()) <= 0.40
    for day, quiz in balanced.quizzes.items():
        for before, after in zip(course[day].questions, quiz.questions, strict=True):
            assert {o.text for o in before.options if o.correct} == {o.text for o in after.options if o.correct}
            assert sorted(o.text for o in before.options) == sorted(o.text for o in after.options)


def test_the_shuffle_is_the_same_for_the_same_job() -> None:
    course = {day: spec() for day in range(1, 8)}

    assert quiz_keys.balanced_keys(course, seed="job-1") == quiz_keys.balanced_keys(course, seed="job-1")


def test_a_shuffle_that_leaves_a_position_over_40_percent_is_shuffled_again() -> None:
    # Three single-choice questions of two options each: the first shuffles may well crowd one place
    one = quiz_keys.spec_from_json(
        {"pass_percent": 70, "max_attempts": None, "questions": [
            {"kind": "single", "prompt": f"Q{n}?", "explanation": "Because.", "accepted_answers": [],
             "options": [{"text": "right", "correct": True}, {"text": "wrong", "correct": False},
                         {"text": "other", "correct": False}]}
            for n in range(3)
        ]}
    )  # fmt: skip
    seeds = [f"job-{n}" for n in range(40)]
    seeds_needing_more = [seed for seed in seeds if quiz_keys.balanced_keys({1: one, 2: one}, seed=seed).shuffles > 1]

    assert seeds_needing_more  # some first shuffles were not good enough...
    for seed in seeds_needing_more:  # ... and were shuffled again until they were
        assert quiz_keys.balanced_keys({1: one, 2: one}, seed=seed).balanced


def test_a_spec_survives_the_round_trip_through_a_steps_json() -> None:
    assert quiz_keys.spec_from_json(quiz_keys.spec_to_json(spec())) == spec()
