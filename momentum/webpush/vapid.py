"""The VAPID key pair (RFC 8292) that identifies this site to browsers' push services.

The private key comes from MOMENTUM_VAPID_PRIVATE_KEY (PEM, or the base64url of its DER or of the
raw 32-byte scalar). Without it, dev and test make one on first use in MOMENTUM_VAPID_KEY_FILE (under
the data folder, mode 0600) so that push works out of the box; staging and prod keep push off
rather than invent a key their other machines would not share.
"""

from __future__ import annotations

import base64
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid02, VapidException

_lock = threading.Lock()
_cached: dict[str, Vapid02] = {}


class PushDisabled(RuntimeError):
    """No VAPID key: push is off (the words say what to set)."""


@dataclass(frozen=True)
class KeyPair:
    private_pem: str
    public_key: str  # base64url of the uncompressed point: the page's applicationServerKey


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def generate_key_pair() -> KeyPair:
    vapid = Vapid02()
    vapid.generate_keys()
    return KeyPair(private_pem=vapid.private_pem().decode(), public_key=_public_key_of(vapid))


def _public_key_of(vapid: Vapid02) -> str:
    point = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64url(point)


def _from_setting(value: str) -> Vapid02:
    text = value.strip()
    if text.startswith("-----BEGIN"):
        return Vapid02.from_pem(text.encode())
    return Vapid02.from_string(private_key=text)


def _from_file(path: Path) -> Vapid02:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pair = generate_key_pair()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(pair.private_pem)
    return Vapid02.from_pem(path.read_bytes())


def signing_key() -> Vapid02:
    """The site's VAPID key; PushDisabled when there is none to use."""
    if settings.DEPLOYED and not settings.VAPID_PRIVATE_KEY:
        raise PushDisabled(
            "push reminders are off: set MOMENTUM_VAPID_PRIVATE_KEY (make one with `momentum generate-vapid-keys`)"
        )
    with _lock:
        source = settings.VAPID_PRIVATE_KEY or str(settings.VAPID_KEY_FILE)
        if source in _cached:
            return _cached[source]
        if settings.VAPID_PRIVATE_KEY:
            try:
                vapid = _from_setting(settings.VAPID_PRIVATE_KEY)
            except (VapidException, ValueError, TypeError) as error:
                raise PushDisabled(f"MOMENTUM_VAPID_PRIVATE_KEY is not a P-256 private key: {error}") from error
        else:
            try:
                vapid = _from_file(Path(settings.VAPID_KEY_FILE))
            except FileExistsError:  # another process wrote it meanwhile
                vapid = Vapid02.from_pem(Path(settings.VAPID_KEY_FILE).read_bytes())
        if not isinstance(vapid.private_key, ec.EllipticCurvePrivateKey) or vapid.private_key.curve.name != "secp256r1":
            raise PushDisabled("the VAPID key must be a P-256 (secp256r1) key")
        _cached[source] = vapid
        return vapid


def public_key() -> str | None:
    """The applicationServerKey pages subscribe with, or None while push is off."""
    try:
        return _public_key_of(signing_key())
    except PushDisabled:
        return None


def status() -> tuple[bool, str]:
    """(on, words for the operator): what `momentum check-config` reports."""
    try:
        key = _public_key_of(signing_key())
    except PushDisabled as why:
        return False, str(why)
    where = "MOMENTUM_VAPID_PRIVATE_KEY" if settings.VAPID_PRIVATE_KEY else f"{settings.VAPID_KEY_FILE} (made here)"
    return True, f"on: VAPID key from {where}, public key {key[:12]}…, subject {settings.VAPID_SUBJECT}"
