"""The tool's RSA key pair: it signs what we send to platforms (deep-linking answers, the client
assertions of service token requests); its public half is the JWK Set platforms fetch at /lti/jwks/.

The private key comes from MOMENTUM_LTI_PRIVATE_KEY (PEM) or the file MOMENTUM_LTI_KEY_FILE. Dev and
test make the file (mode 0600) on first use; staging and prod raise LtiKeysMissing until an operator
runs `momentum lti-keys generate` (docs/runbooks/lti-keys.md). The key never enters the database,
so never its backups. Its ``kid`` is the RFC 7638 thumbprint of the public key: stable, and new
whenever the key is.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from jwcrypto.jwk import JWK

_lock = threading.Lock()
_cached: dict[str, ToolKey] = {}


class LtiKeysMissing(RuntimeError):
    """No tool key, in a profile that must not make one by itself."""


@dataclass(frozen=True)
class ToolKey:
    private_pem: str
    public_pem: str
    kid: str

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(JWK.from_pem(self.public_pem.encode()).export_public())
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}


def generate_private_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def write_key_file(path: Path, private_pem: str) -> None:
    """Write a new key file (mode 0600); refuses to overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(private_pem)


def _tool_key(private_pem: str) -> ToolKey:
    jwk = JWK.from_pem(private_pem.encode())
    public_pem = jwk.export_to_pem(private_key=False).decode()
    return ToolKey(private_pem=private_pem, public_pem=public_pem, kid=jwk.thumbprint())


def tool_key() -> ToolKey:
    """The tool's key; LtiKeysMissing when there is none to use."""
    with _lock:
        source = settings.LTI_PRIVATE_KEY or str(settings.LTI_KEY_FILE)
        if source in _cached:
            return _cached[source]
        if settings.LTI_PRIVATE_KEY:
            pem = settings.LTI_PRIVATE_KEY.strip() + "\n"
        else:
            path = Path(settings.LTI_KEY_FILE)
            if not path.exists():
                if not settings.LTI_KEYS_AUTOCREATE:
                    raise LtiKeysMissing(
                        f"no LTI tool key: run `momentum lti-keys generate` (file {path})"
                        " or set MOMENTUM_LTI_PRIVATE_KEY"
                    )
                with contextlib.suppress(FileExistsError):  # another process made it first: read theirs
                    write_key_file(path, generate_private_pem())
            pem = path.read_text(encoding="ascii")
        try:
            key = _tool_key(pem)
        except ValueError as error:
            raise LtiKeysMissing(f"the LTI tool key does not parse as an RSA private key in PEM: {error}") from None
        _cached[source] = key
        return key


def jwks() -> dict[str, Any]:
    return {"keys": [tool_key().public_jwk()]}
