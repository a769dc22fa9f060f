"""Provider addresses cannot point into our own network (SSRF): loopback, private, link-local
(cloud metadata) and non-http targets are refused, unless MOMENTUM_ALLOW_PRIVATE_PROVIDER_URLS is on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from momentum.generation.providers.base import ProviderError
from momentum.generation.providers.remote.anthropic import AnthropicTextProvider
from momentum.generation.providers.remote.bedrock import BedrockTextProvider
from momentum.generation.providers.remote.bedrock_image import BedrockThumbnailProvider
from momentum.generation.providers.remote.heygen import HeyGenVideoProvider
from momentum.generation.providers.remote.openai_compat import OpenAITextProvider
from momentum.generation.tests.fake_servers import FakeProvider

PRIVATE_TARGETS = [
    "http://127.0.0.1:11434/v1",
    "http://localhost:8000",
    "http://10.0.0.8/v1",
    "http://192.168.1.20:8080",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]:9000",
    "http://metadata.google.internal",
]
NOT_HTTP = ["file:///etc/passwd", "ftp://10.0.0.8/", "gopher://127.0.0.1:6379/_INFO"]

PROVIDERS: dict[str, tuple[str, Callable[[str], object]]] = {
    "anthropic": ("MOMENTUM_ANTHROPIC_BASE_URL", lambda url: AnthropicTextProvider(api_key="k", base_url=url)),
    "openai": ("MOMENTUM_OPENAI_BASE_URL", lambda url: OpenAITextProvider(base_url=url)),
    "bedrock": ("MOMENTUM_BEDROCK_ENDPOINT_URL", lambda url: BedrockTextProvider(endpoint_url=url)),
    "bedrock-image": ("MOMENTUM_BEDROCK_ENDPOINT_URL", lambda url: BedrockThumbnailProvider(endpoint_url=url)),
    "heygen": (
        "MOMENTUM_HEYGEN_BASE_URL",
        lambda url: HeyGenVideoProvider(api_key="k", avatar_id="a", voice_id="v", base_url=url),
    ),
}


@pytest.fixture(autouse=True)
def _aws(aws_test_credentials: None) -> None:
    pass


@pytest.mark.parametrize("target", PRIVATE_TARGETS)
@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_a_provider_address_on_a_private_network_is_refused(provider: str, target: str, settings: Any) -> None:
    settings.ALLOW_PRIVATE_PROVIDER_URLS = False
    setting, make = PROVIDERS[provider]

    with pytest.raises(ProviderError) as raised:
        make(target)

    assert not raised.value.retryable
    assert setting in str(raised.value)
    assert "MOMENTUM_ALLOW_PRIVATE_PROVIDER_URLS=true" in str(raised.value)


@pytest.mark.parametrize("target", NOT_HTTP)
@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_a_provider_address_that_is_not_http_is_refused_even_when_private_hosts_are_allowed(
    provider: str, target: str, settings: Any
) -> None:
    settings.ALLOW_PRIVATE_PROVIDER_URLS = True
    _, make = PROVIDERS[provider]

    with pytest.raises(ProviderError) as raised:
        make(target)

    assert not raised.value.retryable
    assert "http:// or https://" in str(raised.value)


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_a_local_server_is_accepted_when_private_provider_addresses_are_allowed(provider: str, settings: Any) -> None:
    settings.ALLOW_PRIVATE_PROVIDER_URLS = True
    _, make = PROVIDERS[provider]

    assert make("http://127.0.0.1:11434/v1") is not None


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/iam", "http://10.1.2.3/video.mp4"])
def test_a_video_download_from_a_private_address_is_refused(
    fake_heygen: FakeProvider, settings: Any, tmp_path: Path, target: str
) -> None:
    provider = HeyGenVideoProvider()  # configured while the fake's loopback address is allowed
    settings.ALLOW_PRIVATE_PROVIDER_URLS = False

    with pytest.raises(ProviderError) as raised:
        provider.download(target, tmp_path / "video.mp4")

    assert not raised.value.retryable
    assert not (tmp_path / "video.mp4").exists()
    assert fake_heygen.requests == []
