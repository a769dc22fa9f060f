"""Course thumbnails from a Stability image model on Amazon Bedrock (InvokeModel)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from django.conf import settings

from momentum.generation.providers.base import ProviderError, Thumbnail, ThumbnailRequest, Usage
from momentum.generation.providers.remote.bedrock import NAME, call, runtime_client

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def thumbnail_prompt(request: ThumbnailRequest) -> str:
    return (
        f"A clean, modern course thumbnail illustration for an online course titled {request.title!r} "
        f"in the category {request.category}. Flat vector style, simple shapes, no text, no letters, "
        f"no logos. Main colour {request.background}, accent colour {request.foreground}."
    )


class BedrockThumbnailProvider:
    name = NAME

    def __init__(self, *, model: str | None = None, endpoint_url: str | None = None, timeout: float | None = None):
        self.model_id = model or settings.BEDROCK_IMAGE_MODEL
        self.client = runtime_client(endpoint_url=endpoint_url, timeout=timeout)

    def render(self, request: ThumbnailRequest) -> Thumbnail:
        body = {
            "prompt": thumbnail_prompt(request),
            "negative_prompt": "text, letters, watermark, logo",
            "aspect_ratio": "16:9",
            "output_format": "png",
        }
        response = call(
            lambda: self.client.invoke_model(
                modelId=self.model_id,
                body=json.dumps(body).encode(),
                contentType="application/json",
                accept="application/json",
            )
        )
        usage = Usage(images=1)
        try:
            answer: Any = json.loads(response["body"].read())
            png = base64.b64decode(answer["images"][0], validate=True)
        except (ValueError, KeyError, IndexError, TypeError, binascii.Error) as error:
            raise ProviderError(
                f"{NAME}: the image answer could not be read ({error.__class__.__name__})",
                provider=NAME,
                retryable=True,
                usage=usage,
            ) from None
        reasons = [reason for reason in answer.get("finish_reasons") or [] if reason]
        if reasons:  # e.g. "Filter reason: prompt" — the same prompt is refused again
            raise ProviderError(
                f"{NAME}: the image was not made: {reasons[0]}", provider=NAME, retryable=False, usage=usage
            )
        if not png.startswith(PNG_SIGNATURE):
            raise ProviderError(f"{NAME}: the image is not a PNG", provider=NAME, retryable=True, usage=usage)
        return Thumbnail(png=png, usage=usage, model=self.model_id)
