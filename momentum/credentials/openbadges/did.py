"""The issuer's identifier, ``did:web`` of the site's host, its DID document and JWK Set.

did:web takes the host of the site (a port is written ``%3A<port>``) and its DID document is
served at ``https://<host>/.well-known/did.json``. Each key of the ring is a verification
method ``<did>#<kid>`` of type Multikey, listed under assertionMethod; the same id is the JWT
``kid`` and the ``kid`` of its JWK in ``/.well-known/jwks.json``, so either path finds the key.
"""

from typing import Any
from urllib.parse import quote, urlsplit

from momentum.credentials.openbadges.keys import KeyRing

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def did_web(site_url: str) -> str:
    parts = urlsplit(site_url)
    if not parts.hostname:
        raise ValueError(f"{site_url!r} has no host for a did:web")
    host = parts.hostname.lower()
    if parts.port:
        host += quote(f":{parts.port}", safe="")
    return f"did:web:{host}"


def verification_method(did: str, kid: str) -> str:
    return f"{did}#{kid}"


def did_document(did: str, ring: KeyRing) -> dict[str, Any]:
    methods = [
        {
            "id": verification_method(did, key.kid),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_multibase,
        }
        for key in ring.keys
    ]
    ids = [method["id"] for method in methods]
    return {"@context": DID_CONTEXTS, "id": did, "verificationMethod": methods, "assertionMethod": ids}


def jwks(did: str, ring: KeyRing) -> dict[str, Any]:
    return {"keys": [key.public_jwk(verification_method(did, key.kid)) for key in ring.keys]}
