"""The Bedrock thumbnail adapter: InvokeModel of the Stability image model through botocore's
endpoint_url, against a local server speaking Bedrock's wire format."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.generation.providers.base import ProviderError, ThumbnailRequest
from momentum.generation.providers.remote.bedrock_image import BedrockThumbnailProvider
from momentum.generation.tests.fake_servers import FakeProvider

REQUEST = ThumbnailRequest(title="Sourdough baking", category="Cooking", background="#b45309", foreground="#fef3c7")


def test_a_thumbnail_is_a_png_in_the_category_colour_billed_as_one_image(fake_bedrock: FakeProvider) -> None:
    thumbnail = BedrockThumbnailProvider().render(REQUEST)

    assert thumbnail.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert thumbnail.usage.images == 1
    assert thumbnail.model == "stability.stable-image-core-v1:1"
    (call,) = fake_bedrock.calls_for("image")
    assert call["model"] == "stability.stable-image-core-v1:1"
    assert "#b45309" in call["prompt"]


def test_a_throttled_image_request_is_retryable(fake_bedrock: FakeProvider) -> None:
    fake_bedrock.fail_next("rate_limit", retry_after=5)

    with pytest.raises(ProviderError) as raised:
        BedrockThumbnailProvider().render(REQUEST)

    assert raised.value.retryable
    assert raised.value.http_status == 429
    assert raised.value.retry_after == 5


def test_an_image_model_the_account_may_not_use_is_not_retryable(fake_bedrock: FakeProvider) -> None:
    fake_bedrock.fail_next("unauthorized")

    with pytest.raises(ProviderError) as raised:
        BedrockThumbnailProvider().render(REQUEST)

    assert not raised.value.retryable
    assert raised.value.http_status == 403


def test_an_unreadable_image_answer_is_retryable_and_billed(fake_bedrock: FakeProvider) -> None:
    fake_bedrock.fail_next("malformed_body")

    with pytest.raises(ProviderError) as raised:
        BedrockThumbnailProvider().render(REQUEST)

    assert raised.value.retryable
    assert raised.value.usage.images == 1


def test_a_hanging_image_model_times_out_as_a_retryable_error(fake_bedrock: FakeProvider, settings: Any) -> None:
    settings.PROVIDER_TIMEOUT_SECONDS = 0.3
    fake_bedrock.fail_next("hang")

    with pytest.raises(ProviderError) as raised:
        BedrockThumbnailProvider().render(REQUEST)

    assert raised.value.retryable
