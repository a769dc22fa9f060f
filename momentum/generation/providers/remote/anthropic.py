"""Text from Anthropic's Messages API (the anthropic SDK), answers as a forced tool call whose
input schema is the pydantic schema of the outline or the lesson."""

from __future__ import annotations

from typing import Any

import anthropic
from django.conf import settings

from momentum.generation.providers.base import ProviderError, Usage
from momentum.generation.providers.remote import check_provider_url, http_error
from momentum.generation.providers.remote.llm_json import Prompt, Reply, StructuredTextProvider, json_schema

NAME = "anthropic"


class AnthropicTextProvider(StructuredTextProvider):
    name = NAME

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        model: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.model_id = model or settings.ANTHROPIC_MODEL
        url = check_provider_url(
            base_url or settings.ANTHROPIC_BASE_URL, provider=NAME, setting="MOMENTUM_ANTHROPIC_BASE_URL"
        )
        key = api_key if api_key is not None else settings.ANTHROPIC_API_KEY
        if not key:
            raise ProviderError(f"{NAME}: MOMENTUM_ANTHROPIC_API_KEY is not set", provider=NAME, retryable=False)
        self.client = anthropic.Anthropic(
            api_key=key,
            base_url=url,
            timeout=timeout if timeout is not None else settings.PROVIDER_TIMEOUT_SECONDS,
            max_retries=0,  # the workflow's resilience layer retries, with backoff and a circuit
        )

    def probe(self) -> Usage:
        message = self._create(model=self.model_id, max_tokens=1, messages=[{"role": "user", "content": "ping"}])
        return _usage(message)

    def _user_turn(self, text: str) -> Any:
        return {"role": "user", "content": text}

    def _repair_turn(self, reply: Reply, message: str) -> Any:
        if reply.tool_use_id is not None:  # a tool call must be answered by its result
            return {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": reply.tool_use_id, "is_error": True, "content": message}
                ],
            }
        return {"role": "user", "content": message}

    def _send(self, prompt: Prompt[Any], turns: list[Any]) -> Reply:
        message = self._create(
            model=self.model_id,
            max_tokens=prompt.max_tokens,
            system=prompt.system,
            messages=turns,
            tools=[
                {
                    "name": prompt.tool_name,
                    "description": f"Record the {prompt.purpose}, as a JSON object matching the schema.",
                    "input_schema": json_schema(prompt.schema),
                }
            ],
            tool_choice={"type": "tool", "name": prompt.tool_name},
        )
        usage = _usage(message)
        blocks = [block.model_dump(exclude_none=True) for block in message.content]
        turn = {"role": "assistant", "content": [_as_param(block) for block in blocks] or ""}
        for block in message.content:
            if block.type == "tool_use" and block.name == prompt.tool_name:
                return Reply(payload=block.input, usage=usage, turn=turn, tool_use_id=block.id)
        text = "".join(block.text for block in message.content if block.type == "text")
        return Reply(payload=text, usage=usage, turn=turn)

    def _create(self, **request: Any) -> anthropic.types.Message:
        try:
            message: anthropic.types.Message = self.client.messages.create(**request)
        except anthropic.APIStatusError as error:
            raise http_error(NAME, error.status_code, _message(error), headers=error.response.headers) from error
        except anthropic.APITimeoutError as error:
            raise ProviderError(
                f"{NAME}: no answer within {self.client.timeout} s", provider=NAME, retryable=True
            ) from error
        except anthropic.APIConnectionError as error:
            raise ProviderError(f"{NAME}: connection failed: {error}", provider=NAME, retryable=True) from error
        except anthropic.APIResponseValidationError as error:
            raise ProviderError(
                f"{NAME}: the response was not a valid Messages API answer", provider=NAME, retryable=True
            ) from error
        except ValueError as error:  # a 200 whose body is not JSON
            raise ProviderError(f"{NAME}: unreadable response: {error}", provider=NAME, retryable=True) from error
        return message


def _usage(message: anthropic.types.Message) -> Usage:
    return Usage(input_tokens=message.usage.input_tokens or 0, output_tokens=message.usage.output_tokens or 0)


def _message(error: anthropic.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return f"{body['error'].get('type', 'error')}: {body['error'].get('message', '')}"
    return str(error.message)


def _as_param(block: dict[str, Any]) -> dict[str, Any]:
    """A response content block as a request content block (drops response-only fields)."""
    if block.get("type") == "tool_use":
        return {"type": "tool_use", "id": block["id"], "name": block["name"], "input": block["input"]}
    if block.get("type") == "text":
        return {"type": "text", "text": block["text"]}
    return block
