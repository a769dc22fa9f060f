"""Fixtures for the remote provider adapters: fake provider servers on 127.0.0.1 and the settings
that point the adapters at them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from momentum.generation.tests.fake_servers import API_KEYS, FakeProvider


@pytest.fixture
def allow_local_providers(settings: Any) -> None:
    settings.ALLOW_PRIVATE_PROVIDER_URLS = True


@pytest.fixture
def aws_test_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake AWS credentials: botocore signs requests with them; no AWS account is involved."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDMOMENTUMTEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "momentum-test-secret")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")


@pytest.fixture
def fake_anthropic(allow_local_providers: None, settings: Any) -> Iterator[FakeProvider]:
    with FakeProvider("anthropic", hang_seconds=10) as fake:
        settings.ANTHROPIC_BASE_URL = fake.url
        settings.ANTHROPIC_API_KEY = API_KEYS["anthropic"]
        yield fake


@pytest.fixture
def fake_openai(allow_local_providers: None, settings: Any) -> Iterator[FakeProvider]:
    with FakeProvider("openai", hang_seconds=10) as fake:
        settings.OPENAI_BASE_URL = fake.url + "/v1"
        settings.OPENAI_API_KEY = API_KEYS["openai"]
        settings.OPENAI_MODEL = "llama3.1"
        yield fake


@pytest.fixture
def fake_bedrock(allow_local_providers: None, aws_test_credentials: None, settings: Any) -> Iterator[FakeProvider]:
    with FakeProvider("bedrock", hang_seconds=10) as fake:
        settings.BEDROCK_ENDPOINT_URL = fake.url
        settings.BEDROCK_REGION = "us-east-1"
        yield fake


@pytest.fixture
def fake_heygen(allow_local_providers: None, settings: Any) -> Iterator[FakeProvider]:
    with FakeProvider("heygen", hang_seconds=10) as fake:
        settings.HEYGEN_BASE_URL = fake.url
        settings.HEYGEN_API_KEY = API_KEYS["heygen"]
        settings.HEYGEN_AVATAR_ID = "Daisy-inskirt-20220818"
        settings.HEYGEN_VOICE_ID = "2d5b0e6cf36f460aa7fc47e3eee4ba54"
        yield fake
