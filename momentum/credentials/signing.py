"""The site as an Open Badges issuer: its key ring, did:web, DID document and JWK Set, and the
one place credentials are signed (both proofs at once).

The key ring comes from MOMENTUM_CREDENTIAL_KEYS (its JSON) or the file
MOMENTUM_CREDENTIAL_KEYS_FILE. Dev and test make the file on first use; staging and prod raise
CredentialKeysMissing until an operator runs `momentum credential-keys generate`
(docs/runbooks/credential-keys.md). Nothing here touches the database.
"""

from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

from momentum.credentials.openbadges import dataintegrity, did, keys, vcjwt
from momentum.credentials.openbadges.credential import Issuer
from momentum.lib import clock


class CredentialKeysMissing(RuntimeError):
    """No signing key, in a profile that must not make one by itself."""


def key_ring() -> keys.KeyRing:
    if settings.CREDENTIAL_KEYS:
        return keys.parse(settings.CREDENTIAL_KEYS, "MOMENTUM_CREDENTIAL_KEYS")
    ring = keys.read(settings.CREDENTIAL_KEYS_FILE)
    if ring is not None:
        return ring
    if not settings.CREDENTIAL_KEYS_AUTOCREATE:
        raise CredentialKeysMissing(
            f"no credential signing key: run `momentum credential-keys generate` (file {settings.CREDENTIAL_KEYS_FILE})"
            " or set MOMENTUM_CREDENTIAL_KEYS"
        )
    ring, _made = keys.generate(settings.CREDENTIAL_KEYS_FILE, clock.now())
    return ring


def issuer_id() -> str:
    return did.did_web(settings.SITE_URL)


def issuer() -> Issuer:
    from momentum.sitesettings.queries import site_name

    return Issuer(id=issuer_id(), name=site_name(), url=settings.SITE_URL)


def did_document() -> dict[str, Any]:
    return did.did_document(issuer_id(), key_ring())


def jwks() -> dict[str, Any]:
    return did.jwks(issuer_id(), key_ring())


def public_key(verification_method: str) -> Ed25519PublicKey | None:
    """The public key a verification method (``<did>#<kid>``) of this site names, old keys included."""
    prefix = issuer_id() + "#"
    if not verification_method.startswith(prefix):
        return None
    key = key_ring().find(verification_method.removeprefix(prefix))
    return key.public_key if key else None


def sign(unsigned: dict[str, Any], now: datetime | None = None) -> tuple[dict[str, Any], str]:
    """(the credential with its DataIntegrityProof, its VC-JWT), both by the newest key."""
    moment = now or clock.now()
    key = key_ring().current
    method = did.verification_method(issuer_id(), key.kid)
    return dataintegrity.add_proof(unsigned, key, method, moment), vcjwt.sign(unsigned, key, method, moment)
