"""The fake provider servers themselves, as the worker-crash tests use them: in their own process,
steered and read over HTTP."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from momentum.generation.providers.base import CourseBrief, LessonDraft, Outline, ProviderError
from momentum.generation.providers.remote.anthropic import AnthropicTextProvider
from momentum.generation.tests.fake_servers import API_KEYS, fake_lesson, fake_outline

BRIEF = CourseBrief(topic="Watercolour for beginners", duration_days=14, level="BEGINNER", category="Art")


@pytest.fixture
def anthropic_process(settings: Any) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "momentum.generation.tests.fake_servers", "--kind", "anthropic", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        settings.ALLOW_PRIVATE_PROVIDER_URLS = True
        yield url
    finally:
        process.kill()
        process.wait()


def test_a_fake_in_its_own_process_is_steered_and_read_over_http(anthropic_process: str) -> None:
    httpx.post(f"{anthropic_process}/_faults", json={"mode": "rate_limit", "times": 1, "retry_after": 3})
    provider = AnthropicTextProvider(api_key=API_KEYS["anthropic"], base_url=anthropic_process)

    with pytest.raises(ProviderError) as raised:
        provider.outline(BRIEF)
    result = provider.outline(BRIEF)
    seen = httpx.get(f"{anthropic_process}/_calls").json()

    assert raised.value.retry_after == 3
    assert len(result.value.days) == 14
    assert [(call["purpose"], call["days"]) for call in seen["calls"]] == [("outline", 14)]
    assert [request["status"] for request in seen["requests"]] == [429, 200]


def test_the_fake_models_write_answers_valid_for_the_schemas() -> None:
    for days in (7, 14, 21):
        assert len(Outline.model_validate(fake_outline("Chess openings", days)).days) == days

    assert LessonDraft.model_validate(fake_lesson("Chess openings", 21)).title == "Day 21: Chess openings"
