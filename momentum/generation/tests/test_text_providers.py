"""The Anthropic, Bedrock and OpenAI-compatible text adapters, each against a local server that
speaks its wire format: answers, usage, and how every kind of failure is reported to the workflow."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from momentum.generation.providers.base import CourseBrief, LessonDraft, Outline, ProviderError
from momentum.generation.providers.remote.anthropic import AnthropicTextProvider
from momentum.generation.providers.remote.bedrock import BedrockTextProvider
from momentum.generation.providers.remote.llm_json import (
    InvalidAnswer,
    StructuredTextProvider,
    outline_prompt,
    parse_answer,
)
from momentum.generation.providers.remote.openai_compat import OpenAITextProvider
from momentum.generation.tests.fake_servers import FakeProvider, fake_lesson, fake_outline

BRIEF = CourseBrief(
    topic="Sourdough baking",
    duration_days=7,
    level="BEGINNER",
    category="Cooking",
    passages=("A levain is a portion of fermented dough kept to leaven the next bake.",),
)
TOKEN_KEYS = {
    "anthropic": ("input_tokens", "output_tokens"),
    "openai": ("prompt_tokens", "completion_tokens"),
    "bedrock": ("inputTokens", "outputTokens"),
}
FACTORIES: dict[str, Callable[[], StructuredTextProvider]] = {
    "anthropic": AnthropicTextProvider,
    "bedrock": BedrockTextProvider,
    "openai": OpenAITextProvider,
}


@dataclass
class Remote:
    kind: str
    fake: FakeProvider
    make: Callable[[], StructuredTextProvider]

    def billed(self) -> tuple[int, int]:
        """Input and output tokens of every answer the fake gave, usable or not."""
        inputs, outputs = TOKEN_KEYS[self.kind]
        answered = [request["usage"] for request in self.fake.requests if "usage" in request]
        return sum(usage[inputs] for usage in answered), sum(usage[outputs] for usage in answered)


@pytest.fixture(params=sorted(FACTORIES))
def remote(request: pytest.FixtureRequest) -> Remote:
    kind = request.param
    fake = request.getfixturevalue(f"fake_{kind}")
    return Remote(kind, fake, FACTORIES[kind])


def _outline() -> Outline:
    return Outline.model_validate(fake_outline(BRIEF.topic, BRIEF.duration_days))


def test_the_outline_is_a_valid_plan_with_the_tokens_it_used(remote: Remote) -> None:
    result = remote.make().outline(BRIEF)

    assert [day.day for day in result.value.days] == [1, 2, 3, 4, 5, 6, 7]
    assert "Sourdough baking" in result.value.title
    assert (result.usage.input_tokens, result.usage.output_tokens) == remote.billed()
    assert result.usage.input_tokens > 0
    assert result.usage.output_tokens > 0
    assert result.model.endswith("(outline.v2)")
    assert [call["purpose"] for call in remote.fake.calls] == ["outline"]


def test_a_lesson_is_written_for_the_day_it_was_asked_for(remote: Remote) -> None:
    result = remote.make().lesson(BRIEF, _outline(), 3, ("Feed the starter twice a day.",))

    assert result.value.title.startswith("Day 3")
    assert len(result.value.content_markdown) >= 200
    assert result.model.endswith("(lesson.v3)")
    assert result.usage.output_tokens > 0
    (call,) = remote.fake.calls
    assert (call["purpose"], call["day"], call["repair"]) == ("lesson", 3, False)


def test_a_quiz_is_asked_through_the_quiz_schema_with_the_lesson_and_the_reasons_of_a_rejected_one(
    remote: Remote,
) -> None:
    lesson = LessonDraft.model_validate(fake_lesson(BRIEF.topic, 4))

    result = remote.make().quiz(
        BRIEF, _outline(), lesson, 4, (), feedback=("Question 1: two options say the same thing",)
    )

    assert 3 <= len(result.value.questions) <= 5
    assert result.model.endswith("(quiz.v2)")
    assert result.usage.output_tokens > 0
    (call,) = remote.fake.calls
    assert (call["purpose"], call["day"]) == ("quiz", 4)
    sent = json.dumps(remote.fake.bodies[-1])
    assert "Every practice starts with a clear mental model" in sent
    assert "Question 1: two options say the same thing" in sent


def test_a_lesson_that_opens_with_its_title_as_a_heading_loses_that_heading(remote: Remote) -> None:
    # the fake model, like real ones, starts its Markdown with "# Day 3: <topic>", the lesson's title
    result = remote.make().lesson(BRIEF, _outline(), 3, ())

    assert result.value.title == "Day 3: Sourdough baking"
    assert result.value.content_markdown.startswith("Today we look at one part of Sourdough baking")


def test_a_rate_limited_call_is_retryable_after_the_wait_the_provider_asked_for(remote: Remote) -> None:
    remote.fake.fail_next("rate_limit", retry_after=7)

    with pytest.raises(ProviderError) as raised:
        remote.make().outline(BRIEF)

    assert raised.value.retryable
    assert raised.value.retry_after == 7
    assert raised.value.http_status == 429
    assert raised.value.provider == remote.kind


def test_a_server_error_is_retryable(remote: Remote) -> None:
    remote.fake.fail_next("server_error")

    with pytest.raises(ProviderError) as raised:
        remote.make().outline(BRIEF)

    assert raised.value.retryable
    assert raised.value.http_status == 500


def test_an_overloaded_provider_is_retryable(remote: Remote) -> None:
    remote.fake.fail_next("overloaded")

    with pytest.raises(ProviderError) as raised:
        remote.make().outline(BRIEF)

    assert raised.value.retryable
    assert raised.value.http_status in (503, 529)


def test_after_two_failures_the_third_attempt_succeeds_and_is_answered_once(remote: Remote) -> None:
    remote.fake.fail_next("server_error", times=2)
    provider = remote.make()

    for _ in range(2):
        with pytest.raises(ProviderError):
            provider.outline(BRIEF)
    result = provider.outline(BRIEF)

    assert len(result.value.days) == 7
    assert len(remote.fake.requests) == 3
    assert len(remote.fake.calls_for("outline")) == 1


def test_a_response_body_that_is_not_json_is_a_retryable_error(remote: Remote) -> None:
    remote.fake.fail_next("malformed_body")

    with pytest.raises(ProviderError) as raised:
        remote.make().outline(BRIEF)

    assert raised.value.retryable


def test_an_answer_that_is_not_json_is_repaired_with_one_more_call(remote: Remote) -> None:
    remote.fake.fail_next("malformed_content")

    result = remote.make().outline(BRIEF)

    assert len(result.value.days) == 7
    (call,) = remote.fake.calls
    assert call["repair"] is True
    assert (result.usage.input_tokens, result.usage.output_tokens) == remote.billed()  # both calls count


def test_an_answer_that_breaks_the_schema_is_repaired_with_one_more_call(remote: Remote) -> None:
    remote.fake.fail_next("invalid_schema")

    result = remote.make().lesson(BRIEF, _outline(), 2, ())

    assert result.value.title.startswith("Day 2")
    assert len(remote.fake.requests) == 2
    assert remote.fake.calls[0]["repair"] is True


def test_the_repair_sends_the_validation_errors_back_to_the_model(remote: Remote) -> None:
    remote.fake.fail_next("invalid_schema")

    remote.make().outline(BRIEF)

    repair = json.dumps(remote.fake.bodies[1])
    assert "could not be used" in repair
    assert "description: Field required" in repair
    assert "days: Input should be a valid list" in repair


def test_an_outline_that_skips_a_day_is_not_accepted() -> None:
    plan = fake_outline(BRIEF.topic, 8)
    del plan["days"][4]

    with pytest.raises(InvalidAnswer) as raised:
        parse_answer(outline_prompt(BRIEF), plan)

    assert raised.value.problems == ["days: must be exactly days 1 to 7 in order, got [1, 2, 3, 4, 6, 7, 8]"]


def test_json_wrapped_in_a_markdown_fence_is_accepted() -> None:
    text = "```json\n" + json.dumps(fake_outline(BRIEF.topic, 7)) + "\n```"

    assert len(parse_answer(outline_prompt(BRIEF), text).days) == 7


def test_an_answer_still_invalid_after_the_repair_is_retryable_and_keeps_its_cost(remote: Remote) -> None:
    remote.fake.fail_next("invalid_schema", times=2)

    with pytest.raises(ProviderError) as raised:
        remote.make().outline(BRIEF)

    assert raised.value.retryable
    assert "schema" in str(raised.value)
    assert (raised.value.usage.input_tokens, raised.value.usage.output_tokens) == remote.billed()
    assert raised.value.usage.input_tokens > 0


def test_a_provider_that_does_not_answer_times_out_as_a_retryable_error(remote: Remote, settings: Any) -> None:
    settings.PROVIDER_TIMEOUT_SECONDS = 0.3
    remote.fake.fail_next("hang")

    with pytest.raises(ProviderError) as raised:
        remote.make().outline(BRIEF)

    assert raised.value.retryable
    assert remote.fake.calls == []


def test_a_rejected_key_is_not_retryable(remote: Remote) -> None:
    remote.fake.fail_next("unauthorized")

    with pytest.raises(ProviderError) as raised:
        remote.make().outline(BRIEF)

    assert not raised.value.retryable
    assert raised.value.http_status in (401, 403)


def test_a_request_the_provider_refuses_as_invalid_is_not_retryable(remote: Remote) -> None:
    remote.fake.fail_next("bad_request")

    with pytest.raises(ProviderError) as raised:
        remote.make().outline(BRIEF)

    assert not raised.value.retryable
    assert raised.value.http_status == 400


def test_an_unreachable_provider_is_retryable(remote: Remote) -> None:
    provider = remote.make()
    remote.fake.stop()

    with pytest.raises(ProviderError) as raised:
        provider.outline(BRIEF)

    assert raised.value.retryable


def test_the_probe_passes_when_the_provider_answers(remote: Remote) -> None:
    remote.make().probe()

    assert [call["purpose"] for call in remote.fake.calls] == ["probe"]


def test_the_probe_reports_a_failing_provider(remote: Remote) -> None:
    remote.fake.fail_next("server_error")

    with pytest.raises(ProviderError) as raised:
        remote.make().probe()

    assert raised.value.retryable
