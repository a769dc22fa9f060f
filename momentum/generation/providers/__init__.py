"""Which provider serves each kind of generation call, from the settings (see base.py).

The modules are imported when first asked for, so a remote provider's SDK (boto3, ...) is
loaded only by the deployments that use it. ``offline/`` holds the providers that run on this
machine with no account (the defaults), ``remote/`` the adapters to paid services; both import
``base`` and ``momentum.lib`` only, never a model or another app.
"""

from __future__ import annotations

import importlib
from typing import Any, cast

from django.conf import settings

from momentum.generation.providers.base import TextProvider, ThumbnailProvider, VideoProvider

_PACKAGE = "momentum.generation.providers"
TEXT: dict[str, str] = {
    "local": "offline.local_text:LocalTextProvider",
    "anthropic": "remote.anthropic:AnthropicTextProvider",
    "bedrock": "remote.bedrock:BedrockTextProvider",
    "openai": "remote.openai_compat:OpenAITextProvider",
}
VIDEO: dict[str, str] = {
    "slides": "offline.slides:SlidesVideoProvider",
    "heygen": "remote.heygen:HeyGenVideoProvider",
}
THUMBNAIL: dict[str, str] = {
    "local": "offline.local_thumbnail:TitleCardThumbnailProvider",
    "bedrock": "remote.bedrock_image:BedrockThumbnailProvider",
}


def _construct(table: dict[str, str], name: str) -> Any:
    module_name, class_name = table[name].split(":")
    module = importlib.import_module(f"{_PACKAGE}.{module_name}")
    return getattr(module, class_name)()


def text_provider() -> TextProvider:
    return cast(TextProvider, _construct(TEXT, settings.TEXT_PROVIDER))


def video_provider() -> VideoProvider:
    return cast(VideoProvider, _construct(VIDEO, settings.VIDEO_PROVIDER))


def thumbnail_provider() -> ThumbnailProvider:
    return cast(ThumbnailProvider, _construct(THUMBNAIL, settings.THUMBNAIL_PROVIDER))


def configured() -> dict[str, str]:
    """The provider name chosen for each kind."""
    return {"text": settings.TEXT_PROVIDER, "video": settings.VIDEO_PROVIDER, "thumbnail": settings.THUMBNAIL_PROVIDER}
