"""A local Stripe: a real HTTP server on 127.0.0.1 answering the API calls Momentum makes, in
Stripe's wire format (form-encoded requests, JSON objects and errors, idempotency keys), and
producing webhook events signed with Stripe's scheme (``t=...,v1=HMAC-SHA256``).

The stripe SDK reaches it through its ``api`` base address (MOMENTUM_STRIPE_API_BASE).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from momentum.lib.tests.local_http import LocalServer

API_KEY = "sk_test_momentum_fake"
WEBHOOK_SECRET = "whsec_test_momentum_fake"
API_VERSION = "2026-02-25.clover"


def stripe_id(prefix: str) -> str:
    return f"{prefix}_test_{secrets.token_hex(10)}"


def decode_form(body: str) -> dict[str, Any]:
    """Stripe's bracket notation (``a[b][0][c]=v``) back into nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node: Any = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            next_is_index = not last and parts[index + 1].isdigit()
            if isinstance(node, list):
                position = int(part)
                while len(node) <= position:
                    node.append(None)
                if last:
                    node[position] = value
                else:
                    if node[position] is None:
                        node[position] = [] if next_is_index else {}
                    node = node[position]
            elif last:
                node[part] = value
            else:
                node = node.setdefault(part, [] if next_is_index else {})
    return root


def sign(payload: str, secret: str = WEBHOOK_SECRET, *, timestamp: int | None = None) -> str:
    moment = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{moment}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={moment},v1={digest}"


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, Any]
    idempotency_key: str | None
    api_version: str | None


@dataclass
class FakeStripe:
    """State of the fake account: what was asked, sessions, subscriptions, refunds."""

    calls: list[Call] = field(default_factory=list)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Holds each checkout session creation this long, so concurrent requests overlap.
    create_delay_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _idempotent: dict[str, tuple[int, dict[str, Any], dict[str, Any]]] = field(default_factory=dict)
    _server: LocalServer | None = None

    # --- server -------------------------------------------------------------------------------

    def start(self) -> FakeStripe:
        self._server = LocalServer(self._handle)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.port}"

    def calls_to(self, method: str, path: str) -> list[Call]:
        return [call for call in self.calls if call.method == method and call.path == path]

    # --- requests -------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        path = urlsplit(handler.path).path
        params = decode_form(body if method == "POST" else urlsplit(handler.path).query)
        key = handler.headers.get("Idempotency-Key")
        with self.lock:
            self.calls.append(Call(method, path, params, key, handler.headers.get("Stripe-Version")))
        if handler.headers.get("Authorization") != f"Bearer {API_KEY}":
            self._reply(handler, 401, _error("invalid_request_error", "Invalid API Key provided."))
            return
        if key and method == "POST":
            with self.lock:
                seen = self._idempotent.get(key)
            if seen is not None:
                status, first_params, response = seen
                if first_params != params:
                    message = "Keys for idempotent requests can only be used with the same parameters."
                    self._reply(handler, 400, _error("idempotency_error", message))
                else:
                    self._reply(handler, status, response, replayed=True)
                return
        status, response = self._route(method, path, params)
        if key and method == "POST" and status < 500:
            with self.lock:
                self._idempotent.setdefault(key, (status, params, response))
        self._reply(handler, status, response)

    def _route(self, method: str, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "POST" and path == "/v1/checkout/sessions":
            return self._create_session(params)
        match = re.fullmatch(r"/v1/checkout/sessions/([\w]+)", path)
        if method == "GET" and match and match.group(1) in self.sessions:
            return 200, self.sessions[match.group(1)]
        match = re.fullmatch(r"/v1/subscriptions/([\w]+)", path)
        if match and match.group(1) in self.subscriptions:
            subscription = self.subscriptions[match.group(1)]
            if method == "POST":
                if "cancel_at_period_end" in params:
                    subscription["cancel_at_period_end"] = params["cancel_at_period_end"] == "true"
                    subscription["canceled_at"] = int(time.time()) if subscription["cancel_at_period_end"] else None
                return 200, subscription
            if method == "DELETE":
                subscription.update(status="canceled", canceled_at=int(time.time()), ended_at=int(time.time()))
                return 200, subscription
        if method == "POST" and path == "/v1/refunds":
            refund = {
                "id": stripe_id("re"),
                "object": "refund",
                "payment_intent": params.get("payment_intent"),
                "amount": int(params["amount"]) if "amount" in params else None,
                "status": "succeeded",
                "metadata": params.get("metadata", {}),
            }
            self.refunds[refund["id"]] = refund
            return 200, refund
        return 404, _error("invalid_request_error", f"Unrecognized request URL ({method}: {path}).")

    def _create_session(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.create_delay_seconds:
            time.sleep(self.create_delay_seconds)
        missing = [name for name in ("mode", "line_items", "success_url") if name not in params]
        if missing:
            return 400, _error("invalid_request_error", f"Missing required param: {missing[0]}.")
        now = int(time.time())
        if "expires_at" in params and not now + 1800 <= int(params["expires_at"]) <= now + 86400:
            message = (
                "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation."
            )
            return 400, _error("invalid_request_error", message)
        item = params["line_items"][0]
        amount = int(item["price_data"]["unit_amount"]) * int(item.get("quantity", 1))
        session_id = stripe_id("cs")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params["mode"],
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": amount,
            "currency": item["price_data"]["currency"],
            "client_reference_id": params.get("client_reference_id"),
            "customer_email": params.get("customer_email"),
            "metadata": params.get("metadata", {}),
            "success_url": params["success_url"],
            "cancel_url": params.get("cancel_url"),
            "created": now,
            "expires_at": int(params["expires_at"]) if "expires_at" in params else now + 86400,
            "payment_intent": None,
            "subscription": None,
            "invoice": None,
            "livemode": False,
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
        }
        with self.lock:
            self.sessions[session_id] = session
        return 200, session

    def _reply(
        self, handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any], replayed: bool = False
    ) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", f"req_{secrets.token_hex(7)}")
        if replayed:
            handler.send_header("Idempotent-Replayed", "true")
        handler.end_headers()
        handler.wfile.write(data)

    # --- what Stripe sends back -------------------------------------------------------------------

    def event(self, event_type: str, data_object: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
        return {
            "id": event_id or stripe_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
            "data": {"object": data_object},
        }

    def complete_session(self, session_id: str) -> dict[str, Any]:
        """The learner paid on Stripe's page: the session completes (and a plan's subscription starts)."""
        session = self.sessions[session_id]
        session.update(status="complete", payment_status="paid")
        if session["mode"] == "payment":
            session["payment_intent"] = stripe_id("pi")
        else:
            subscription_id = stripe_id("sub")
            period_end = int(time.time()) + 31 * 86400
            session.update(subscription=subscription_id, invoice=stripe_id("in"))
            self.subscriptions[subscription_id] = {
                "id": subscription_id,
                "object": "subscription",
                "status": "active",
                "cancel_at_period_end": False,
                "canceled_at": None,
                "ended_at": None,
                "metadata": session["metadata"],
                "items": {
                    "object": "list",
                    "data": [{"object": "subscription_item", "current_period_end": period_end}],
                },
            }
        return self.event("checkout.session.completed", dict(session))

    def expire_session(self, session_id: str, *, early: bool = False) -> dict[str, Any]:
        """The session ends unpaid: at its ``expires_at`` (the learner walked away; the session is
        aged so that its deadline is now, instead of waiting a day), or ``early`` through
        POST /v1/checkout/sessions/{id}/expire. Stripe sends ``checkout.session.expired`` either way."""
        session = self.sessions[session_id]
        if not early:
            age = int(time.time()) - session["expires_at"]
            session.update(created=session["created"] + age, expires_at=session["expires_at"] + age)
        session.update(status="expired", payment_status="unpaid", url=None)
        return self.event("checkout.session.expired", dict(session))

    def invoice(
        self, subscription_id: str, *, invoice_id: str | None = None, paid: bool, reason: str = "subscription_cycle"
    ) -> dict[str, Any]:
        subscription = self.subscriptions[subscription_id]
        start = subscription["items"]["data"][0]["current_period_end"]
        end = start + 30 * 86400
        if paid:
            subscription["items"]["data"][0]["current_period_end"] = end
            subscription["status"] = "active"
        else:
            subscription["status"] = "past_due"
        return {
            "id": invoice_id or stripe_id("in"),
            "object": "invoice",
            "billing_reason": reason,
            "status": "paid" if paid else "open",
            "amount_due": 900,
            "amount_paid": 900 if paid else 0,
            "currency": "usd",
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": subscription_id, "metadata": subscription["metadata"]},
            },
            "lines": {"object": "list", "data": [{"object": "line_item", "period": {"start": start, "end": end}}]},
        }

    def charge_refunded(self, payment_intent: str, amount: int, *, refunded: bool = True) -> dict[str, Any]:
        return self.event(
            "charge.refunded",
            {
                "id": stripe_id("ch"),
                "object": "charge",
                "amount": amount,
                "amount_refunded": amount if refunded else amount // 2,
                "currency": "usd",
                "payment_intent": payment_intent,
                "refunded": refunded,
                "status": "succeeded",
            },
        )


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message}}
