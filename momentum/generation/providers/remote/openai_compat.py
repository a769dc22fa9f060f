"""Text from any OpenAI-compatible chat completions server (OpenAI, vLLM, Ollama, llama.cpp...),
through the openai SDK. Answers are asked for in JSON mode with the schema in the prompt."""

from __future__ import annotations

from typing import Any

import openai
from django.conf import settings

from momentum.generation.providers.base import ProviderError, Usage
from momentum.generation.providers.remote import check_provider_url, http_error
from momentum.generation.providers.remote.llm_json import Prompt, Reply, StructuredTextProvider

NAME = "openai"


class OpenAITextProvider(StructuredTextProvider):
    name = NAME

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        model: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.model_id = model or settings.OPENAI_MODEL
        url = check_provider_url(
            base_url or settings.OPENAI_BASE_URL, provider=NAME, setting="MOMENTUM_OPENAI_BASE_URL"
        )
        key = api_key if api_key is not None else settings.OPENAI_API_KEY
        self.client = openai.OpenAI(
            api_key=key or "none",  # local servers (Ollama, vLLM) accept any key; the SDK insists on one
            base_url=url,
            timeout=timeout if timeout is not None else settings.PROVIDER_TIMEOUT_SECONDS,
            max_retries=0,  # the workflow's resilience layer retries, with backoff and a circuit
        )

    def probe(self) -> Usage:
        """The server lists its models, and ours is among them."""
        served = [model.id for model in self._call(self.client.models.list).data]
        if served and self.model_id not in served:
            raise ProviderError(
                f"{NAME}: the server does not serve model {self.model_id!r} (it serves {', '.join(served[:10])})",
                provider=NAME,
                retryable=False,
            )
        return Usage()

    def _user_turn(self, text: str) -> Any:
        return {"role": "user", "content": text}

    def _repair_turn(self, reply: Reply, message: str) -> Any:
        return {"role": "user", "content": message}

    def _send(self, prompt: Prompt[Any], turns: list[Any]) -> Reply:
        completion = self._call(
            lambda: self.client.chat.completions.create(
                model=self.model_id,
                messages=[{"role": "system", "content": prompt.system}, *turns],
                max_tokens=prompt.max_tokens,
                response_format={"type": "json_object"},
            )
        )
        usage = Usage(
            input_tokens=completion.usage.prompt_tokens if completion.usage else 0,
            output_tokens=completion.usage.completion_tokens if completion.usage else 0,
        )
        if not completion.choices:
            raise ProviderError(f"{NAME}: the answer has no choices", provider=NAME, retryable=True, usage=usage)
        text = completion.choices[0].message.content or ""
        return Reply(payload=text, usage=usage, turn={"role": "assistant", "content": text})

    def _call(self, request: Any) -> Any:
        try:
            return request()
        except openai.APIStatusError as error:
            raise http_error(NAME, error.status_code, _message(error), headers=error.response.headers) from error
        except openai.APITimeoutError as error:
            raise ProviderError(
                f"{NAME}: no answer within {self.client.timeout} s", provider=NAME, retryable=True
            ) from error
        except openai.APIConnectionError as error:
            raise ProviderError(f"{NAME}: connection failed: {error}", provider=NAME, retryable=True) from error
        except openai.APIResponseValidationError as error:
            raise ProviderError(
                f"{NAME}: the response was not a valid chat completion", provider=NAME, retryable=True
            ) from error
        except ValueError as error:  # a 200 whose body is not JSON
            raise ProviderError(f"{NAME}: unreadable response: {error}", provider=NAME, retryable=True) from error


def _message(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return str(body["error"].get("message", ""))
    if isinstance(body, dict) and "message" in body:
        return str(body["message"])
    return str(error.message)
