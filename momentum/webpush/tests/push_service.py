"""A local push service (RFC 8030) for the tests, and a browser's side of a subscription.

It listens on 127.0.0.1 and, for every push, does what a real push service and browser do between
them: checks the VAPID Authorization (RFC 8292: the ES256 JWT's signature against the ``k`` key, and
its ``aud``, ``exp`` and ``sub`` claims) and decrypts the aes128gcm payload (RFC 8291) with the
receiver's private key, which the test made. Its answers can be scripted (410, 429, 500, a hang).
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from momentum.lib.tests.local_http import LocalServer


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """A browser's half of a push subscription: the private key and auth secret stay here."""

    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)


@dataclass
class Received:
    path: str
    payload: dict[str, Any]
    claims: dict[str, Any]
    vapid_key: str
    headers: dict[str, str]


@dataclass
class Answer:
    status: int = 201
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False


class PushService:
    def __init__(self) -> None:
        self.browsers: dict[str, Browser] = {}
        self.received: list[Received] = []
        self.refused: list[str] = []  # pushes whose signature or encryption did not check out
        self.answers: list[Answer] = []  # scripted answers, first in first out; then 201
        self.release = threading.Event()
        self.server = LocalServer(self._respond)
        self.origin = f"http://127.0.0.1:{self.server.port}"

    def subscribe(self, name: str = "phone") -> tuple[str, Browser]:
        """A new subscription: its endpoint, and the browser holding its keys."""
        browser = Browser()
        token = b64url(os.urandom(12))
        self.browsers[token] = browser
        return f"{self.origin}/push/{token}", browser

    def answer_next(self, *answers: Answer) -> None:
        self.answers.extend(answers)

    def stop(self) -> None:
        self.release.set()
        self.server.stop()

    def _respond(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length)
        answer = self.answers.pop(0) if self.answers else Answer()
        if answer.hang:
            self.release.wait(timeout=30)  # longer than the sender's timeout; the test's end lets it go
            return
        if method == "POST" and answer.status < 300:
            try:
                self.received.append(self._open(handler, body))
            except (ValueError, KeyError, InvalidSignature) as error:
                self.refused.append(f"{type(error).__name__}: {error}")
                answer = Answer(status=400)
        handler.send_response(answer.status)
        for name, value in answer.headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _open(self, handler: BaseHTTPRequestHandler, body: bytes) -> Received:
        token = handler.path.rsplit("/", 1)[-1]
        browser = self.browsers[token]
        claims, key = self._check_vapid(handler.headers.get("Authorization", ""))
        if handler.headers.get("Content-Encoding") != "aes128gcm":
            raise ValueError(f"Content-Encoding is {handler.headers.get('Content-Encoding')!r}, not aes128gcm")
        if not handler.headers.get("TTL", "").isdigit():
            raise ValueError("no TTL header (RFC 8030 requires one)")
        plain = http_ece.decrypt(
            body, private_key=browser.private_key, auth_secret=browser.auth_secret, version="aes128gcm"
        )
        return Received(
            path=handler.path,
            payload=json.loads(plain),
            claims=claims,
            vapid_key=key,
            headers=dict(handler.headers.items()),
        )

    def _check_vapid(self, authorization: str) -> tuple[dict[str, Any], str]:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"the Authorization scheme is {scheme!r}, not vapid (RFC 8292)")
        fields = dict(part.strip().split("=", 1) for part in params.split(","))
        token, key = fields["t"], fields["k"]
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(unb64url(header_b64))
        if header.get("alg") != "ES256":
            raise ValueError(f"the JWT is signed with {header.get('alg')}, not ES256")
        signature = unb64url(signature_b64)
        if len(signature) != 64:
            raise ValueError("an ES256 signature is 64 bytes (r and s)")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        claims = json.loads(unb64url(claims_b64))
        if claims.get("aud") != self.origin:
            raise ValueError(f"aud is {claims.get('aud')!r}, not this push service's origin {self.origin}")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            raise ValueError(f"sub {claims.get('sub')!r} is not a mailto: or https: address")
        left = int(claims["exp"]) - int(time.time())
        if not 0 < left <= 24 * 60 * 60:
            raise ValueError(f"exp is {left} s away: RFC 8292 wants it within 24 hours")
        return claims, key
