"""Local stand-ins for the remote generation providers: real HTTP servers on 127.0.0.1 that speak
each provider's wire format, so the adapters (and the whole pipeline) run against them unchanged.

    anthropic  POST /v1/messages                    (Messages API: x-api-key, anthropic-version,
                                                     content blocks, tool use, usage, error bodies)
    openai     POST /v1/chat/completions, GET /v1/models   (any OpenAI-compatible server)
    bedrock    POST /model/{modelId}/converse        (Converse, as botocore sends it to endpoint_url)
               POST /model/{modelId}/invoke          (InvokeModel of the Stability image model)
    heygen     POST /v2/video/generate, GET /v1/video_status.get?video_id=...,
               GET /v1/video.list?limit=..&token=.. (newest first), GET /files/{id}.mp4

The LLM fakes answer with JSON valid for the schema the request asks for: a quiz when the
request carries the ``QuizDraft`` schema (``accepted_answers``), a lesson when it carries the
``LessonDraft`` schema (``content_markdown``), an outline when it carries the ``Outline``
schema, a short text otherwise (a probe). They read the day count from "N-day course", the
lesson's day from "lesson for day N" / "quiz for day N" and the topic from "Topic: ..." in the
prompt (the wording of momentum/generation/prompts/). They answer in the language the prompt asks
for ("Language: Spanish (es)": Spanish outline, lessons and quizzes; English otherwise).

Their quizzes have the bias real models show: every key is option "B" (the second), which only
the workflow's shuffle can undo. ``fail_quiz(day, mode, times)`` makes day ``day``'s next quizzes
break a rule the schema cannot say (QUIZ_MODES): ``two_right`` (two right options on a
single-choice question), ``key_absent`` (a key the lesson never states), ``repeated_options``.

Failure modes, switchable per server (``fail_next`` in-process, ``POST /_faults`` from another
process), each for the next ``times`` matching requests, then answers succeed again:

    rate_limit         429 with Retry-After          server_error   500
    overloaded         529 (Anthropic) / 503          unauthorized   401 (403 for Bedrock)
    bad_request        400                            malformed_body 200 whose body is not JSON
    malformed_content  200, the model's text is not JSON
    invalid_schema     200, valid JSON that breaks the schema
    wrong_language     200, a valid answer in English whatever language the prompt asked for
    hang               no answer for ``hang_seconds`` (longer than the client's timeout)
    lost_answer        the request is carried out (a video is created) but the connection is
                       closed before the answer: the client cannot tell whether it was
    held_answer        the same, the answer held back for ``hang_seconds`` first (a worker
                       killed while it waits)
    video_failed       (heygen) the video's status turns "failed"

Each server records every request (``requests``: status, fault, usage billed) and the calls it
answered successfully (``calls``: purpose, day, topic, whether it was a repair); ``GET /_calls``
returns both as JSON, ``POST /_reset`` forgets them and the faults.

Run one as a separate process (the worker-crash tests do)::

    python -m momentum.generation.tests.fake_servers --kind openai --port 0

It prints its base URL on the first line of stdout and serves until killed.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import re
import secrets
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from momentum.lib.tests.local_http import LocalServer

# mode -> (status, error code per provider, message)
_ERROR_FAULTS: dict[str, tuple[int, dict[str, str], str]] = {
    "rate_limit": (
        429,
        {
            "anthropic": "rate_limit_error",
            "openai": "rate_limit_exceeded",
            "bedrock": "ThrottlingException",
            "heygen": "rate_limit",
        },
        "Too many requests, please wait before trying again.",
    ),
    "server_error": (
        500,
        {
            "anthropic": "api_error",
            "openai": "server_error",
            "bedrock": "InternalServerException",
            "heygen": "internal_error",
        },
        "Internal server error",
    ),
    "overloaded": (
        503,
        {
            "anthropic": "overloaded_error",
            "openai": "service_unavailable",
            "bedrock": "ServiceUnavailableException",
            "heygen": "service_unavailable",
        },
        "Service unavailable",
    ),
    "unauthorized": (
        401,
        {
            "anthropic": "authentication_error",
            "openai": "invalid_api_key",
            "bedrock": "AccessDeniedException",
            "heygen": "authentication_failed",
        },
        "Invalid API key",
    ),
    "bad_request": (
        400,
        {
            "anthropic": "invalid_request_error",
            "openai": "invalid_request_error",
            "bedrock": "ValidationException",
            "heygen": "invalid_parameter",
        },
        "Malformed input request",
    ),
}
API_KEYS = {
    "anthropic": "sk-ant-test-momentum-fake",
    "openai": "sk-test-momentum-fake",
    "heygen": "heygen-test-momentum-fake",
}
MODES = (
    "rate_limit",
    "server_error",
    "overloaded",
    "unauthorized",
    "bad_request",
    "malformed_body",
    "malformed_content",
    "invalid_schema",
    "wrong_language",
    "hang",
    "lost_answer",
    "held_answer",
    "video_failed",
)
QUIZ_MODES = ("two_right", "key_absent", "repeated_options")
FAKE_VIDEO_SECONDS = 2.0


class Reply:
    """What a route answers: a status, a body (JSON-encoded unless bytes) and headers."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}


@dataclass
class Fault:
    mode: str
    remaining: int
    on: str = ""  # only requests whose path starts with this
    retry_after: float = 2


@dataclass
class FakeProvider:
    """One fake provider server; ``kind`` is anthropic, openai, bedrock or heygen."""

    kind: str
    port: int = 0
    hang_seconds: float = 30.0
    processing_polls: int = 1  # heygen: status answers "processing" this many times per video
    api_key: str | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    quiz_faults: dict[int, list[str]] = field(default_factory=dict)
    videos: dict[str, dict[str, Any]] = field(default_factory=dict)
    bodies: list[Any] = field(default_factory=list)  # every request's JSON body, in-process only
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _server: LocalServer | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("anthropic", "openai", "bedrock", "heygen"):
            raise ValueError(f"unknown fake provider kind {self.kind!r}")
        if self.api_key is None:
            self.api_key = API_KEYS.get(self.kind, "")
        self._ids = itertools.count(1)

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeProvider:
        self._server = LocalServer(self._handle, port=self.port)
        self.port = self._server.port
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes hanging handlers
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- control ---------------------------------------------------------------------------

    def fail_next(self, mode: str, times: int = 1, *, on: str = "", retry_after: float = 2) -> None:
        """The next ``times`` requests (to paths starting with ``on``) fail with ``mode``."""
        if mode not in MODES:
            raise ValueError(f"unknown failure mode {mode!r}; one of {', '.join(MODES)}")
        with self._lock:
            self.faults.append(Fault(mode, times, on, retry_after))

    def fail_quiz(self, day: int, mode: str, times: int = 1) -> None:
        """Day ``day``'s next ``times`` quizzes break a rule the schema cannot say (QUIZ_MODES)."""
        if mode not in QUIZ_MODES:
            raise ValueError(f"unknown quiz failure mode {mode!r}; one of {', '.join(QUIZ_MODES)}")
        with self._lock:
            self.quiz_faults.setdefault(day, []).extend([mode] * times)

    def _take_quiz_fault(self, day: int) -> str | None:
        with self._lock:
            pending = self.quiz_faults.get(day)
            return pending.pop(0) if pending else None

    def reset(self) -> None:
        with self._lock:
            self.quiz_faults.clear()
            self.calls.clear()
            self.requests.clear()
            self.bodies.clear()
            self.faults.clear()

    def calls_for(self, purpose: str) -> list[dict[str, Any]]:
        with self._lock:
            return [call for call in self.calls if call["purpose"] == purpose]

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.remaining > 0 and path.startswith(fault.on):
                    fault.remaining -= 1
                    return fault
        return None

    # --- HTTP plumbing ---------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        path = unquote(parts.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        if path.startswith("/_"):
            self._send(handler, self._control(method, path, raw))
            return
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            self._send(handler, Reply(400, {"message": "request body is not JSON"}))
            return
        fault = None if path.startswith("/files/") else self._take_fault(path)
        record: dict[str, Any] = {"method": method, "path": path, "fault": fault.mode if fault else None}
        with self._lock:
            self.requests.append(record)
            self.bodies.append(body)
        if fault is not None and fault.mode == "hang":
            self._stopping.wait(self.hang_seconds)
            handler.close_connection = True
            return  # the client gave up long ago; it gets no answer
        denied = self._authenticate(handler)
        if denied is not None:
            record["status"] = denied.status
            self._send(handler, denied)
            return
        reply, call = self._route(method, path, query, body, fault)
        record["status"] = reply.status
        if call is not None and "usage" in call:
            record["usage"] = call["usage"]  # what the answer billed, also when it was unusable
        carried_out = fault is None or fault.mode in ("video_failed", "lost_answer", "held_answer", "wrong_language")
        if call is not None and reply.status == 200 and carried_out:
            with self._lock:
                call.update(seq=len(self.calls) + 1, method=method, path=path)
                self.calls.append(call)
        if fault is not None and fault.mode in ("lost_answer", "held_answer"):
            if fault.mode == "held_answer":
                self._stopping.wait(self.hang_seconds)
            handler.close_connection = True
            return  # done, but the client never hears so
        self._send(handler, reply)

    def _send(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        if isinstance(reply.body, bytes):
            payload = reply.body
            content_type = reply.headers.pop("Content-Type", "application/octet-stream")
        else:
            payload = json.dumps(reply.body).encode()
            content_type = "application/json"
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _control(self, method: str, path: str, raw: bytes) -> Reply:
        if method == "GET" and path == "/_calls":
            with self._lock:
                return Reply(200, {"calls": list(self.calls), "requests": list(self.requests)})
        if method == "POST" and path == "/_faults":
            spec = json.loads(raw or b"{}")
            try:
                self.fail_next(
                    spec["mode"],
                    int(spec.get("times", 1)),
                    on=spec.get("on", ""),
                    retry_after=float(spec.get("retry_after", 2)),
                )
            except (KeyError, ValueError) as error:
                return Reply(400, {"message": str(error)})
            return Reply(200, {"ok": True})
        if method == "POST" and path == "/_reset":
            self.reset()
            return Reply(200, {"ok": True})
        return Reply(404, {"message": "no such control endpoint"})

    def _authenticate(self, handler: BaseHTTPRequestHandler) -> Reply | None:
        headers = handler.headers
        if self.kind == "anthropic":
            if headers.get("x-api-key") != self.api_key:
                return self._error(401, "authentication_error", "invalid x-api-key")
            if not headers.get("anthropic-version"):
                return self._error(400, "invalid_request_error", "anthropic-version header is required")
        elif self.kind == "openai":
            if self.api_key and headers.get("Authorization") != f"Bearer {self.api_key}":
                return self._error(401, "invalid_api_key", "Incorrect API key provided")
        elif self.kind == "bedrock":
            if not (headers.get("Authorization") or "").startswith("AWS4-HMAC-SHA256 "):
                return self._error(403, "UnrecognizedClientException", "The security token is missing")
        elif (
            self.kind == "heygen"
            and headers.get("X-Api-Key") != self.api_key
            and not handler.path.startswith("/files/")
        ):
            return self._error(401, "authentication_failed", "Invalid api key")
        return None

    # --- errors in each provider's shape ---------------------------------------------------

    def _error(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Reply:
        if self.kind == "anthropic":
            body: Any = {"type": "error", "error": {"type": code, "message": message}}
            headers = {"request-id": f"req_{secrets.token_hex(8)}", **(headers or {})}
        elif self.kind == "openai":
            body = {"error": {"message": message, "type": code, "param": None, "code": code}}
        elif self.kind == "bedrock":
            body = {"message": message}
            headers = {
                "x-amzn-ErrorType": f"{code}:http://internal.amazon.com/coral/com.amazon.bedrock/",
                **(headers or {}),
            }
        else:
            body = {"error": {"code": code, "message": message}, "data": None}
        return Reply(status, body, headers)

    def _fault_reply(self, fault: Fault) -> Reply | None:
        """The reply of a transport-level fault; None for faults in the model's answer."""
        if fault.mode == "malformed_body":
            return Reply(200, b'{"id": "msg_01", "content": [{"type": "te', {"Content-Type": "application/json"})
        if fault.mode not in _ERROR_FAULTS:
            return None
        status, codes, message = _ERROR_FAULTS[fault.mode]
        if self.kind == "anthropic" and fault.mode == "overloaded":
            status = 529
        if self.kind == "bedrock" and fault.mode == "unauthorized":
            status = 403
        headers = {"Retry-After": f"{fault.retry_after:g}"} if status in (429, 503) else {}
        return self._error(status, codes[self.kind], message, headers)

    # --- routes ----------------------------------------------------------------------------

    def _route(  # noqa: PLR0911  (one return per route)
        self, method: str, path: str, query: dict[str, str], body: Any, fault: Fault | None
    ) -> tuple[Reply, dict[str, Any] | None]:
        if fault is not None:
            failed = self._fault_reply(fault)
            if failed is not None:
                return failed, None
        mode = fault.mode if fault else None
        if self.kind == "anthropic" and method == "POST" and path == "/v1/messages":
            return self._anthropic_messages(body, mode)
        if self.kind == "openai" and method == "POST" and path == "/v1/chat/completions":
            return self._openai_chat(body, mode)
        if self.kind == "openai" and method == "GET" and path == "/v1/models":
            models = [{"id": "llama3.1", "object": "model", "created": 1_700_000_000, "owned_by": "fake"}]
            return Reply(200, {"object": "list", "data": models}), {"purpose": "probe"}
        if self.kind == "bedrock" and method == "POST":
            match = re.fullmatch(r"/model/(?P<model>[^/]+)/(?P<op>converse|invoke)", path)
            if match and match["op"] == "converse":
                return self._bedrock_converse(match["model"], body, mode)
            if match:
                return self._bedrock_invoke(match["model"], body)
        if self.kind == "heygen" and (answered := self._heygen_route(method, path, query, body, mode)):
            return answered
        return self._error(
            404,
            "not_found_error" if self.kind != "bedrock" else "UnknownOperationException",
            f"no route {method} {path}",
        ), None

    # --- LLMs ------------------------------------------------------------------------------

    def _anthropic_messages(self, body: dict[str, Any], mode: str | None) -> tuple[Reply, dict[str, Any] | None]:
        if not body.get("model") or not body.get("max_tokens") or not body.get("messages"):
            return self._error(400, "invalid_request_error", "model, max_tokens and messages are required"), None
        text = json.dumps(body)
        answer, call = _answer(text, mode, repair=len(body["messages"]) > 1, quiz_fault=self._take_quiz_fault)
        tool = _forced_tool(body.get("tool_choice"), [t.get("name") for t in body.get("tools", [])])
        if tool and isinstance(answer, dict):
            content = [{"type": "tool_use", "id": f"toolu_{secrets.token_hex(8)}", "name": tool, "input": answer}]
            stop = "tool_use"
        else:
            content = [{"type": "text", "text": answer if isinstance(answer, str) else json.dumps(answer)}]
            stop = "end_turn"
        usage = {"input_tokens": _tokens(text), "output_tokens": _tokens(json.dumps(content))}
        call.update(model=body["model"], usage=usage)
        message = {
            "id": f"msg_{secrets.token_hex(12)}",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": content,
            "stop_reason": stop,
            "stop_sequence": None,
            "usage": usage,
        }
        return Reply(200, message, {"request-id": f"req_{secrets.token_hex(8)}"}), call

    def _openai_chat(self, body: dict[str, Any], mode: str | None) -> tuple[Reply, dict[str, Any] | None]:
        if not body.get("model") or not body.get("messages"):
            return self._error(400, "invalid_request_error", "model and messages are required"), None
        text = json.dumps(body)
        user_turns = sum(1 for message in body["messages"] if message.get("role") == "user")
        answer, call = _answer(text, mode, repair=user_turns > 1, quiz_fault=self._take_quiz_fault)
        content = answer if isinstance(answer, str) else json.dumps(answer)
        usage = {"prompt_tokens": _tokens(text), "completion_tokens": _tokens(content)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        call.update(model=body["model"], usage=usage)
        completion = {
            "id": f"chatcmpl-{secrets.token_hex(12)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": usage,
        }
        return Reply(200, completion), call

    def _bedrock_converse(
        self, model: str, body: dict[str, Any], mode: str | None
    ) -> tuple[Reply, dict[str, Any] | None]:
        if not body.get("messages"):
            return self._error(400, "ValidationException", "messages is required"), None
        text = json.dumps(body)
        answer, call = _answer(text, mode, repair=len(body["messages"]) > 1, quiz_fault=self._take_quiz_fault)
        tool_config = body.get("toolConfig") or {}
        names = [t.get("toolSpec", {}).get("name") for t in tool_config.get("tools", [])]
        choice = (tool_config.get("toolChoice") or {}).get("tool", {}).get("name")
        tool = choice if choice in names else None
        content: list[dict[str, Any]]
        if tool and isinstance(answer, dict):
            content = [{"toolUse": {"toolUseId": f"tooluse_{secrets.token_hex(8)}", "name": tool, "input": answer}}]
            stop = "tool_use"
        else:
            content = [{"text": answer if isinstance(answer, str) else json.dumps(answer)}]
            stop = "end_turn"
        usage = {"inputTokens": _tokens(text), "outputTokens": _tokens(json.dumps(content))}
        usage["totalTokens"] = usage["inputTokens"] + usage["outputTokens"]
        call.update(model=model, usage=usage)
        reply = {
            "output": {"message": {"role": "assistant", "content": content}},
            "stopReason": stop,
            "usage": usage,
            "metrics": {"latencyMs": 12},
        }
        return Reply(200, reply, {"x-amzn-RequestId": secrets.token_hex(16)}), call

    def _bedrock_invoke(self, model: str, body: dict[str, Any]) -> tuple[Reply, dict[str, Any] | None]:
        if not model.startswith("stability."):
            return self._error(
                400, "ValidationException", f"the fake serves only Stability image models, not {model}"
            ), None
        prompt = body.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            return self._error(400, "ValidationException", "prompt: required"), None
        if body.get("output_format", "png") != "png":
            return self._error(400, "ValidationException", "the fake renders png only"), None
        image = base64.b64encode(fake_png(_color_of(prompt))).decode()
        reply = {"seeds": [secrets.randbelow(2**31)], "finish_reasons": [None], "images": [image]}
        return (
            Reply(
                200,
                json.dumps(reply).encode(),
                {"Content-Type": "application/json", "x-amzn-RequestId": secrets.token_hex(16)},
            ),
            {"purpose": "image", "model": model, "prompt": prompt},
        )

    # --- HeyGen ----------------------------------------------------------------------------

    def _heygen_route(
        self, method: str, path: str, query: dict[str, str], body: Any, mode: str | None
    ) -> tuple[Reply, dict[str, Any] | None] | None:
        if method == "POST" and path == "/v2/video/generate":
            return self._heygen_generate(body, mode)
        if method == "GET" and path == "/v1/video_status.get":
            return self._heygen_status(query.get("video_id", ""))
        if method == "GET" and path == "/v1/video.list":
            return self._heygen_list(query)
        if method == "GET" and re.fullmatch(r"/files/[\w-]+\.mp4", path):
            return Reply(200, fake_mp4(), {"Content-Type": "video/mp4"}), {"purpose": "video.download"}
        return None

    def _heygen_generate(self, body: dict[str, Any], mode: str | None) -> tuple[Reply, dict[str, Any] | None]:
        inputs = body.get("video_inputs")
        if not isinstance(inputs, list) or not inputs:
            return self._error(400, "invalid_parameter", "video_inputs is required"), None
        voice = inputs[0].get("voice") or {}
        text = voice.get("input_text") or ""
        if voice.get("type") == "text" and not (1 <= len(text) <= 5000):
            return self._error(400, "invalid_parameter", "voice.input_text must be 1 to 5000 characters"), None
        video_id = secrets.token_hex(16)
        with self._lock:
            self.videos[video_id] = {
                "polls": 0,
                "failed": mode == "video_failed",
                "title": body.get("title", ""),
                "created_at": int(time.time()),
            }
        return Reply(200, {"error": None, "data": {"video_id": video_id}}), {
            "purpose": "video.generate",
            "video_id": video_id,
            "title": body.get("title", ""),
            "callback_id": body.get("callback_id"),
        }

    def _heygen_list(self, query: dict[str, str]) -> tuple[Reply, dict[str, Any] | None]:
        """v1 video.list: the account's videos, newest first, a page of ``limit`` at a time; the
        answer's ``token`` asks for the next page (None on the last)."""
        try:
            limit = max(1, min(100, int(query.get("limit", "100"))))
            start = int(query.get("token") or 0)
        except ValueError:
            return self._error(400, "invalid_parameter", "limit and token must be numbers"), None
        with self._lock:
            newest_first = list(reversed(self.videos.items()))
        page = newest_first[start : start + limit]
        videos = [
            {
                "video_id": video_id,
                "video_title": video["title"],
                "status": self._heygen_state(video),
                "created_at": video["created_at"],
                "type": "GENERATED",
            }
            for video_id, video in page
        ]
        token = str(start + limit) if start + limit < len(newest_first) else None
        return Reply(200, {"code": 100, "data": {"token": token, "videos": videos}, "message": "Success"}), {
            "purpose": "video.list",
            "videos": len(videos),
        }

    def _heygen_state(self, video: dict[str, Any]) -> str:
        if video["polls"] <= self.processing_polls:
            return "processing"
        return "failed" if video["failed"] else "completed"

    def _heygen_status(self, video_id: str) -> tuple[Reply, dict[str, Any] | None]:
        with self._lock:
            video = self.videos.get(video_id)
            if video is not None:
                video["polls"] += 1
        if video is None:
            return Reply(404, {"code": 40001, "data": None, "message": f"video {video_id} not found"}), None
        data: dict[str, Any] = {
            "id": video_id,
            "status": "processing",
            "video_url": None,
            "thumbnail_url": None,
            "duration": None,
            "error": None,
        }
        if video["polls"] > self.processing_polls:
            if video["failed"]:
                data.update(
                    status="failed",
                    error={"code": 40119, "message": "Avatar rendering failed", "detail": "fake failure"},
                )
            else:
                data.update(
                    status="completed", video_url=f"{self.url}/files/{video_id}.mp4", duration=FAKE_VIDEO_SECONDS
                )
        return Reply(200, {"code": 100, "data": data, "message": "Success"}), {
            "purpose": "video.status",
            "video_id": video_id,
            "status": data["status"],
        }


# --- what the fake "models" write ---------------------------------------------------------


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _forced_tool(choice: Any, names: list[Any]) -> str | None:
    if isinstance(choice, dict) and choice.get("type") == "tool" and choice.get("name") in names:
        return str(choice["name"])
    if isinstance(choice, dict) and choice.get("type") == "any" and names:
        return str(names[0])
    return None


def _answer(
    text: str, mode: str | None, *, repair: bool, quiz_fault: Callable[[int], str | None] = lambda _day: None
) -> tuple[dict[str, Any] | str, dict[str, Any]]:
    """The model's answer to a request whose full JSON is ``text``, and the call's record."""
    topic_match = re.search(r"Topic: ([^\\\n]+)", text)
    topic = topic_match[1].strip() if topic_match else "the subject"
    language_match = re.search(r"Language: [^(\\\n]+\(([a-z]{2,3})\)", text)
    spanish = bool(language_match and language_match[1] == "es") and mode != "wrong_language"
    call: dict[str, Any]
    answer: dict[str, Any] | str
    if "accepted_answers" in text:
        day_match = re.search(r"quiz for day (\d+)", text, re.IGNORECASE)
        day = int(day_match[1]) if day_match else 1
        fault = quiz_fault(day)
        call = {"purpose": "quiz", "day": day, "topic": topic, "repair": repair, "fault": fault}
        answer = fake_quiz_es(topic, day) if spanish else fake_quiz(topic, day, fault)
    elif "content_markdown" in text:
        day_match = re.search(r"lesson for day (\d+)", text, re.IGNORECASE)
        day = int(day_match[1]) if day_match else 1
        call = {"purpose": "lesson", "day": day, "topic": topic, "repair": repair, "spanish": spanish}
        answer = fake_lesson_es(topic, day) if spanish else fake_lesson(topic, day)
    elif '"days"' in text or '\\"days\\"' in text:
        days_match = re.search(r"(\d+)-day course", text)
        days = int(days_match[1]) if days_match else 7
        call = {"purpose": "outline", "days": days, "topic": topic, "repair": repair, "spanish": spanish}
        answer = fake_outline_es(topic, days) if spanish else fake_outline(topic, days)
    else:
        call = {"purpose": "probe", "repair": repair}
        answer = "ok"
    if mode == "malformed_content":
        answer = "Sure! Here is the course you asked for: {title: " + topic + ", days: [..."
    elif mode == "invalid_schema":
        answer = {"title": "x", "days": "seven", "note": "missing fields"}
    return answer, call


def fake_outline(topic: str, days: int) -> dict[str, Any]:
    return {
        "title": f"{topic}: a {days}-day course"[:200],
        "description": f"A structured {days}-day introduction to {topic}, one focused lesson a day."[:2000],
        "days": [
            {
                "day": day,
                "title": f"Day {day}: {topic} in practice, part {day}"[:200],
                "summary": f"What day {day} covers about {topic} and why it matters."[:1000],
                "objectives": [f"Explain idea {day}.1 of {topic}", f"Apply idea {day}.2 in a short exercise"],
            }
            for day in range(1, days + 1)
        ],
    }


def fake_quiz(topic: str, day: int, fault: str | None = None) -> dict[str, Any]:
    """A quiz on ``fake_lesson``'s text whose keys are all option "B", broken as ``fault`` says."""
    first: dict[str, Any] = {
        "kind": "single",
        "prompt": f"According to day {day}, what does every practice start with?",
        "options": [
            {"text": "A long warm-up", "correct": False},
            {"text": "A clear mental model", "correct": True},
            {"text": "A finished project", "correct": False},
            {"text": "A timed test", "correct": False},
        ],
        "explanation": "The lesson says every practice starts with a clear mental model.",
    }
    if fault == "two_right":
        first["options"][0]["correct"] = True
    elif fault == "key_absent":
        first["options"][1]["text"] = "A strong cup of coffee"
    elif fault == "repeated_options":
        first["options"][2]["text"] = "a clear  mental model"
    return {
        "questions": [
            first,
            {
                "kind": "multiple",
                "prompt": "Which of these does the exercise ask you to do?",
                "options": [
                    {"text": "Skip the example", "correct": False},
                    {"text": "Try the technique once", "correct": True},
                    {"text": "Memorise the summary", "correct": False},
                    {"text": "Read it aloud twice", "correct": False},
                ],
                "explanation": "The exercise: try the technique once, note what surprised you, try again.",
            },
            {
                "kind": "single",
                "prompt": "How long should the short exercise take?",
                "options": [
                    {"text": "An hour", "correct": False},
                    {"text": "Ten minutes", "correct": True},
                    {"text": "A whole day", "correct": False},
                ],
                "explanation": "The lesson offers a short exercise you can do in ten minutes.",
            },
            {
                "kind": "short_text",
                "prompt": "Before you try it, what do you write down in one sentence?",
                "accepted_answers": ["what you expect to happen", "what you expect"],
                "explanation": "Write down in one sentence what you expect to happen before you try it.",
            },
        ]
    }


def fake_lesson(topic: str, day: int) -> dict[str, Any]:
    body = (
        f"# Day {day}: {topic}\n\n"
        f"Today we look at one part of {topic} closely. We start with the idea itself, then an example, "
        "then a short exercise you can do in ten minutes.\n\n"
        "## The idea\n\nEvery practice starts with a clear mental model. Write down in one sentence what "
        "you expect to happen before you try it.\n\n"
        "## Exercise\n\n1. Try the technique once.\n2. Note what surprised you.\n3. Try it again, changing one thing.\n"
    )
    return {
        "title": f"Day {day}: {topic}"[:200],
        "summary": f"A focused look at one part of {topic}, with an exercise."[:1000],
        "content_markdown": body,
        "narration": f"Welcome to day {day}. Today we look at one part of {topic}, and you will try it yourself.",
        "duration_minutes": 10,
    }


def fake_outline_es(topic: str, days: int) -> dict[str, Any]:
    """``fake_outline`` as a model asked for Spanish writes it."""
    return {
        "title": f"{topic}: un curso de {days} días"[:200],
        "description": f"Una introducción estructurada de {days} días a {topic}, con una lección breve y "
        "práctica cada día para aprender paso a paso."[:2000],
        "days": [
            {
                "day": day,
                "title": f"Día {day}: {topic} en la práctica, parte {day}"[:200],
                "summary": f"Qué trata el día {day} sobre {topic} y por qué es importante para tu aprendizaje."[:1000],
                "objectives": [
                    f"Explicar la idea {day}.1 de {topic} con tus propias palabras",
                    f"Aplicar la idea {day}.2 en un ejercicio breve",
                ],
            }
            for day in range(1, days + 1)
        ],
    }


def fake_lesson_es(topic: str, day: int) -> dict[str, Any]:
    """``fake_lesson`` as a model asked for Spanish writes it."""
    body = (
        f"Hoy estudiamos con calma una parte de {topic}. Empezamos por la idea, seguimos con un ejemplo "
        "y terminamos con un ejercicio breve que puedes hacer en diez minutos.\n\n"
        "## La idea\n\nToda práctica empieza con un modelo mental claro. Escribe en una frase lo que "
        "esperas que ocurra antes de intentarlo.\n\n"
        "## Ejercicio\n\n1. Prueba la técnica una vez.\n2. Anota lo que te sorprendió.\n"
        "3. Vuelve a intentarlo cambiando una sola cosa.\n"
    )
    return {
        "title": f"Día {day}: {topic}"[:200],
        "summary": f"Una mirada atenta a una parte de {topic}, con un ejercicio."[:1000],
        "content_markdown": body,
        "narration": f"Te damos la bienvenida al día {day}. Hoy vemos una parte de {topic} y la probarás tú mismo "
        "con un ejercicio sencillo.",
        "duration_minutes": 10,
    }


def fake_quiz_es(topic: str, day: int) -> dict[str, Any]:
    """A quiz on ``fake_lesson_es``'s text, in Spanish (every key option "B", as ``fake_quiz``)."""
    return {
        "questions": [
            {
                "kind": "single",
                "prompt": f"Según el día {day}, ¿con qué empieza toda práctica?",
                "options": [
                    {"text": "Un largo calentamiento", "correct": False},
                    {"text": "Un modelo mental claro", "correct": True},
                    {"text": "Un proyecto terminado", "correct": False},
                ],
                "explanation": "La lección dice que toda práctica empieza con un modelo mental claro.",
            },
            {
                "kind": "single",
                "prompt": "¿Cuánto dura el ejercicio breve?",
                "options": [
                    {"text": "Una hora", "correct": False},
                    {"text": "Diez minutos", "correct": True},
                    {"text": "Un día entero", "correct": False},
                ],
                "explanation": "La lección propone un ejercicio breve que puedes hacer en diez minutos.",
            },
            {
                "kind": "short_text",
                "prompt": "Antes de intentarlo, ¿qué escribes en una frase?",
                "accepted_answers": ["lo que esperas que ocurra"],
                "explanation": "Escribe en una frase lo que esperas que ocurra antes de intentarlo.",
            },
        ]
    }


def _color_of(prompt: str) -> tuple[int, int, int]:
    match = re.search(r"#([0-9a-fA-F]{6})", prompt)
    value = match[1] if match else "2563eb"
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def fake_png(color: tuple[int, int, int], width: int = 64, height: int = 36) -> bytes:
    """A valid PNG of one colour (stdlib only, so the fake starts fast in its own process)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(color) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


_MP4_LOCK = threading.Lock()
_MP4: list[bytes] = []


def fake_mp4() -> bytes:
    """A short MP4 with a video and an audio stream (made once with ffmpeg when it is installed)."""
    with _MP4_LOCK:
        if not _MP4:
            ffmpeg = shutil.which("ffmpeg")
            if ffmpeg is None:  # still an MP4 container header, enough for a download test
                _MP4.append(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64)
            else:
                with tempfile.TemporaryDirectory() as folder:
                    target = Path(folder) / "fake.mp4"
                    subprocess.run(
                        [
                            ffmpeg,
                            "-loglevel",
                            "error",
                            "-f",
                            "lavfi",
                            "-i",
                            f"color=c=0x2563eb:s=320x180:d={FAKE_VIDEO_SECONDS}",
                            "-f",
                            "lavfi",
                            "-i",
                            f"sine=frequency=440:duration={FAKE_VIDEO_SECONDS}",
                            "-c:v",
                            "libx264",
                            "-pix_fmt",
                            "yuv420p",
                            "-c:a",
                            "aac",
                            "-shortest",
                            str(target),
                        ],
                        check=True,
                        timeout=60,
                    )
                    _MP4.append(target.read_bytes())
        return _MP4[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run one fake generation provider on 127.0.0.1.")
    parser.add_argument("--kind", required=True, choices=("anthropic", "openai", "bedrock", "heygen"))
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--hang-seconds", type=float, default=30.0)
    parser.add_argument("--processing-polls", type=int, default=1)
    args = parser.parse_args(argv)
    fake = FakeProvider(
        args.kind, port=args.port, hang_seconds=args.hang_seconds, processing_polls=args.processing_polls
    )
    fake.start()
    sys.stdout.write(fake.url + "\n")
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
        sys.stdout.flush()


if __name__ == "__main__":
    main()
