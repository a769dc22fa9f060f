"""Text from Amazon Bedrock's Converse API (boto3 bedrock-runtime), answers as a forced tool call
whose input schema is the pydantic schema of the outline or the lesson. Credentials come from the
usual AWS chain (environment, profile, role). Forcing one tool needs a model that supports it
(Anthropic Claude, Mistral Large on Bedrock)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
import botocore.exceptions
from botocore.config import Config
from botocore.parsers import ResponseParserError
from django.conf import settings

from momentum.generation.providers.base import ProviderError, Usage
from momentum.generation.providers.remote import check_provider_url, http_error
from momentum.generation.providers.remote.llm_json import Prompt, Reply, StructuredTextProvider, json_schema

if TYPE_CHECKING:
    from mypy_boto3_bedrock_runtime import BedrockRuntimeClient

NAME = "bedrock"
R = TypeVar("R")


def runtime_client(*, endpoint_url: str | None = None, timeout: float | None = None) -> BedrockRuntimeClient:
    """A bedrock-runtime client that makes one attempt per call, bounded in time."""
    endpoint = endpoint_url if endpoint_url is not None else settings.BEDROCK_ENDPOINT_URL
    if endpoint:
        check_provider_url(endpoint, provider=NAME, setting="MOMENTUM_BEDROCK_ENDPOINT_URL")
    seconds = timeout if timeout is not None else settings.PROVIDER_TIMEOUT_SECONDS
    config = Config(
        connect_timeout=seconds,
        read_timeout=seconds,
        retries={"total_max_attempts": 1, "mode": "standard"},  # the workflow retries
    )
    return boto3.client(
        "bedrock-runtime", region_name=settings.BEDROCK_REGION, endpoint_url=endpoint or None, config=config
    )


def call(request: Callable[[], R], *, what: str = "") -> R:
    """``request()``, its failures as ``ProviderError``."""
    try:
        return request()
    except botocore.exceptions.ClientError as error:
        metadata = error.response.get("ResponseMetadata", {})
        status = int(metadata.get("HTTPStatusCode") or 500)
        details = error.response.get("Error", {})
        message = f"{details.get('Code', 'Error')}: {details.get('Message', '')}"
        raise http_error(NAME, status, message, headers=metadata.get("HTTPHeaders")) from error
    except (botocore.exceptions.ReadTimeoutError, botocore.exceptions.ConnectTimeoutError) as error:
        raise ProviderError(f"{NAME}: no answer in time{what}: {error}", provider=NAME, retryable=True) from error
    except (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError) as error:
        raise ProviderError(f"{NAME}: connection failed{what}: {error}", provider=NAME, retryable=True) from error
    except ResponseParserError as error:
        raise ProviderError(f"{NAME}: unreadable response{what}", provider=NAME, retryable=True) from error
    except botocore.exceptions.NoCredentialsError as error:
        raise ProviderError(
            f"{NAME}: no AWS credentials (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile or a role)",
            provider=NAME,
            retryable=False,
        ) from error
    except botocore.exceptions.BotoCoreError as error:
        raise ProviderError(f"{NAME}: {error}", provider=NAME, retryable=False) from error


class BedrockTextProvider(StructuredTextProvider):
    name = NAME

    def __init__(self, *, model: str | None = None, endpoint_url: str | None = None, timeout: float | None = None):
        self.model_id = model or settings.BEDROCK_TEXT_MODEL
        self.client = runtime_client(endpoint_url=endpoint_url, timeout=timeout)

    def probe(self) -> Usage:
        response = call(
            lambda: self.client.converse(
                modelId=self.model_id,
                messages=[{"role": "user", "content": [{"text": "ping"}]}],
                inferenceConfig={"maxTokens": 1},
            )
        )
        return _usage(response)

    def _user_turn(self, text: str) -> Any:
        return {"role": "user", "content": [{"text": text}]}

    def _repair_turn(self, reply: Reply, message: str) -> Any:
        if reply.tool_use_id is not None:  # a tool call must be answered by its result
            result = {"toolUseId": reply.tool_use_id, "content": [{"text": message}], "status": "error"}
            return {"role": "user", "content": [{"toolResult": result}]}
        return {"role": "user", "content": [{"text": message}]}

    def _send(self, prompt: Prompt[Any], turns: list[Any]) -> Reply:
        tool = {
            "toolSpec": {
                "name": prompt.tool_name,
                "description": f"Record the {prompt.purpose}, as a JSON object matching the schema.",
                "inputSchema": {"json": json_schema(prompt.schema)},
            }
        }
        response = call(
            lambda: self.client.converse(
                modelId=self.model_id,
                system=[{"text": prompt.system}],
                messages=turns,
                inferenceConfig={"maxTokens": prompt.max_tokens},
                toolConfig={"tools": [tool], "toolChoice": {"tool": {"name": prompt.tool_name}}},  # type: ignore[list-item]
            )
        )
        usage = _usage(response)
        message: dict[str, Any] = dict(response.get("output", {}).get("message") or {})
        if not message:  # botocore reads a body that is not JSON as an answer without output
            raise ProviderError(
                f"{NAME}: the response was not a valid Converse answer", provider=NAME, retryable=True, usage=usage
            )
        content: list[dict[str, Any]] = list(message.get("content") or [])
        turn = {"role": "assistant", "content": content}
        for block in content:
            use = block.get("toolUse")
            if use and use.get("name") == prompt.tool_name:
                return Reply(payload=use.get("input"), usage=usage, turn=turn, tool_use_id=use.get("toolUseId"))
        text = "".join(str(block["text"]) for block in content if "text" in block)
        return Reply(payload=text, usage=usage, turn=turn)


def _usage(response: Any) -> Usage:
    usage = response.get("usage") or {}
    return Usage(input_tokens=int(usage.get("inputTokens") or 0), output_tokens=int(usage.get("outputTokens") or 0))
