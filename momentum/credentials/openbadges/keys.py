"""Ed25519 signing keys for credentials: a key ring, oldest first, whose newest key signs.

The ring lives in a secrets file (JSON, mode 0600, written atomically under an exclusive lock)
or comes whole from an environment value of the same JSON. Never in the database: a backup or
a dump of it carries no private key. Rotating adds a key; old keys stay in the ring, so their
public halves stay published and credentials they signed still verify.

    {"version": 1, "keys": [{"kid": "key-20261206T073000Z", "created_at": "2026-12-06T07:30:00+00:00",
                             "private_key": "<base64url of the 32-byte Ed25519 seed>"}]}
"""

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from momentum.credentials.openbadges import multibase

FORMAT_VERSION = 1


class KeyRingError(RuntimeError):
    """The key ring is missing, unreadable or cannot be changed where it lives."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    created_at: datetime
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def public_bytes(self) -> bytes:
        return self.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def public_multibase(self) -> str:
        return multibase.ed25519_multikey(self.public_bytes)

    def public_jwk(self, kid: str) -> dict[str, str]:
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": multibase.b64url_encode(self.public_bytes),
            "kid": kid,
            "alg": "EdDSA",
            "use": "sig",
        }

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)

    def _stored(self) -> dict[str, str]:
        seed = self.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return {
            "kid": self.kid,
            "created_at": self.created_at.isoformat(),
            "private_key": multibase.b64url_encode(seed),
        }


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[SigningKey, ...]

    @property
    def current(self) -> SigningKey:
        return self.keys[-1]

    def find(self, kid: str) -> SigningKey | None:
        return next((key for key in self.keys if key.kid == kid), None)

    def to_json(self) -> str:
        return json.dumps({"version": FORMAT_VERSION, "keys": [key._stored() for key in self.keys]}, indent=2)


def new_key(now: datetime) -> SigningKey:
    return SigningKey(
        kid="key-" + now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ"),
        created_at=now,
        private_key=Ed25519PrivateKey.generate(),
    )


def parse(text: str, where: str) -> KeyRing:
    try:
        body = json.loads(text)
        if body.get("version") != FORMAT_VERSION:
            raise KeyRingError(f"{where}: unknown key ring version {body.get('version')!r}")
        keys = tuple(
            SigningKey(
                kid=str(item["kid"]),
                created_at=datetime.fromisoformat(item["created_at"]),
                private_key=Ed25519PrivateKey.from_private_bytes(multibase.b64url_decode(item["private_key"])),
            )
            for item in body["keys"]
        )
    except KeyRingError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise KeyRingError(f"{where} is not a credential key ring ({error.__class__.__name__}: {error})") from error
    if not keys:
        raise KeyRingError(f"{where} holds no key")
    if len({key.kid for key in keys}) != len(keys):
        raise KeyRingError(f"{where} names a key id twice")
    return KeyRing(keys)


def read(path: Path) -> KeyRing | None:
    """The ring in the file, or None when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise KeyRingError(f"cannot read the credential key file {path}: {error}") from error
    return parse(text, str(path))


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with os.fdopen(os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600), "r+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write(path: Path, ring: KeyRing) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(ring.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def generate(path: Path, now: datetime) -> tuple[KeyRing, bool]:
    """The ring in the file, made with one new key if there was none. (ring, made)."""
    with _locked(path):
        ring = read(path)
        if ring is not None:
            return ring, False
        ring = KeyRing((new_key(now),))
        _write(path, ring)
        return ring, True


def rotate(path: Path, now: datetime) -> KeyRing:
    """Add a new newest key to the ring in the file (which must exist); the old keys stay."""
    with _locked(path):
        ring = read(path)
        if ring is None:
            raise KeyRingError(f"no credential key file at {path}: generate one first")
        ring = KeyRing((*ring.keys, new_key(now)))
        _write(path, ring)
        return ring
