"""Both proofs verify with code other than the code that made them, and any change breaks them.

- The DataIntegrityProof (eddsa-rdfc-2022): the test canonicalises with pyld and the published
  contexts read from ../shared/standards, hashes as the cryptosuite says, and checks the
  signature with PyNaCl (libsodium); the product signs with `cryptography`.
- The VC-JWT: jwcrypto checks it against the JWK Set the site publishes.
"""

from __future__ import annotations

import copy
import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import nacl.exceptions
import nacl.signing
import pytest
from jwcrypto import jwk, jws, jwt
from pyld import jsonld

from momentum.credentials.openbadges import contexts, dataintegrity, did, keys, multibase, vcjwt

from .conftest import ISSUED, unsigned_credential

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def published_loader(standards: Path) -> Any:
    files = {
        contexts.VC_V2: standards / "w3c-vc-2.0" / "credentials-v2.jsonld",
        contexts.OB_V3: standards / "openbadges-3.0" / "context-3.0.3.json",
    }

    def load(url: str, options: Any = None) -> dict[str, Any]:
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads(files[url].read_text()),
        }

    return load


def base58_decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + BASE58.index(char)
    return number.to_bytes(64, "big")  # an Ed25519 signature is 64 bytes


def independently_verified(secured: dict[str, Any], did_document: dict[str, Any], standards: Path) -> bool:
    """Data Integrity EdDSA Cryptosuites v1.0, 3.3.2-3.3.6, written from the spec in the test."""
    (proof,) = secured["proof"]
    method = next(m for m in did_document["verificationMethod"] if m["id"] == proof["verificationMethod"])
    assert method["id"] in did_document["assertionMethod"]
    public = multibase_key(method["publicKeyMultibase"])
    document = {k: v for k, v in secured.items() if k != "proof"}
    config = {k: v for k, v in proof.items() if k != "proofValue"} | {"@context": document["@context"]}
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": published_loader(standards)}
    hash_data = (
        hashlib.sha256(jsonld.normalize(config, options).encode()).digest()
        + hashlib.sha256(jsonld.normalize(document, options).encode()).digest()
    )
    assert proof["proofValue"].startswith("z")
    try:
        nacl.signing.VerifyKey(public).verify(hash_data, base58_decode(proof["proofValue"][1:]))
    except nacl.exceptions.BadSignatureError:
        return False
    return True


def multibase_key(value: str) -> bytes:
    assert value.startswith("z6Mk")  # base58btc of 0xed01 + key: an Ed25519 Multikey
    number = 0
    for char in value[1:]:
        number = number * 58 + BASE58.index(char)
    raw = number.to_bytes(34, "big")
    assert raw[:2] == b"\xed\x01"
    return raw[2:]


def test_the_data_integrity_proof_verifies_with_pyld_and_pynacl(
    signed: dict[str, Any], ring: keys.KeyRing, standards: Path
) -> None:
    document = did.did_document(signed["issuer"]["id"], ring)

    assert independently_verified(signed, document, standards)


TAMPERINGS = {
    "the achievement's name": lambda c: c["credentialSubject"]["achievement"].__setitem__("name", "Rust in 7 days"),
    "the hashed email": lambda c: c["credentialSubject"]["identifier"][0].__setitem__("identityHash", "sha256$00"),
    "validFrom": lambda c: c.__setitem__("validFrom", "2020-01-01T00:00:00Z"),
    "the issuer": lambda c: c["issuer"].__setitem__("name", "Someone else"),
    "the status index": lambda c: c["credentialStatus"].__setitem__("statusListIndex", "8"),
    "an added field": lambda c: c.__setitem__("description", "added later"),
    "the proof's date": lambda c: c["proof"][0].__setitem__("created", "2030-01-01T00:00:00Z"),
}


@pytest.mark.parametrize("change", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_changing_any_field_breaks_the_data_integrity_proof(
    signed: dict[str, Any], ring: keys.KeyRing, standards: Path, change: Any
) -> None:
    tampered = copy.deepcopy(signed)
    change(tampered)
    document = did.did_document(signed["issuer"]["id"], ring)

    assert not independently_verified(tampered, document, standards)
    with pytest.raises(dataintegrity.ProofError):
        dataintegrity.verify_proof(tampered, lambda method: ring.find(method.split("#")[1]).public_key)  # type: ignore[union-attr]


def test_a_proof_made_by_another_key_does_not_verify(signed: dict[str, Any], ring: keys.KeyRing) -> None:
    stranger = keys.new_key(ISSUED)

    with pytest.raises(dataintegrity.ProofError):
        dataintegrity.verify_proof(signed, lambda method: stranger.public_key)


def jwt_of(credential: dict[str, Any], ring: keys.KeyRing) -> str:
    method = did.verification_method(credential["issuer"]["id"], ring.current.kid)
    return vcjwt.sign(credential, ring.current, method, ISSUED)


def test_the_vc_jwt_verifies_with_jwcrypto_against_the_published_jwks(
    signed: dict[str, Any], ring: keys.KeyRing
) -> None:
    token = jwt_of(signed, ring)
    key_set = jwk.JWKSet.from_json(json.dumps(did.jwks(signed["issuer"]["id"], ring)))
    unverified = jws.JWS()
    unverified.deserialize(token)
    published = key_set.get_key(unverified.jose_header["kid"])

    checked = jwt.JWT(jwt=token, key=published, algs=["EdDSA"])

    header = json.loads(checked.header)
    claims = json.loads(checked.claims)
    assert header == {
        "alg": "EdDSA",
        "kid": f"{signed['issuer']['id']}#{ring.current.kid}",
        "typ": "vc+jwt",
        "cty": "vc",
    }
    assert claims["iss"] == signed["issuer"]["id"] == claims["issuer"]["id"]
    assert claims["jti"] == signed["id"]
    assert claims["nbf"] == int(ISSUED.timestamp())
    assert claims["credentialSubject"] == signed["credentialSubject"]
    assert "proof" not in claims


def test_changing_the_vc_jwt_payload_breaks_its_signature(signed: dict[str, Any], ring: keys.KeyRing) -> None:
    header, payload, signature = jwt_of(signed, ring).split(".")
    claims = json.loads(multibase.b64url_decode(payload))
    claims["credentialSubject"]["achievement"]["name"] = "Rust in 7 days"
    forged = ".".join([header, multibase.b64url_encode(json.dumps(claims).encode()), signature])
    published = jwk.JWK(**did.jwks(signed["issuer"]["id"], ring)["keys"][0])

    with pytest.raises(jws.InvalidJWSSignature):
        jwt.JWT(jwt=forged, key=published, algs=["EdDSA"])


def test_the_did_document_resolves_the_kid_of_both_proofs(signed: dict[str, Any], ring: keys.KeyRing) -> None:
    document = did.did_document(signed["issuer"]["id"], ring)
    method = signed["proof"][0]["verificationMethod"]
    header = json.loads(multibase.b64url_decode(jwt_of(signed, ring).split(".")[0]))

    assert header["kid"] == method
    assert [m["id"] for m in document["verificationMethod"]] == [method]
    assert document["assertionMethod"] == [method]
    assert document["id"] == "did:web:learn.example.org%3A8443"


def causes(error: BaseException | None) -> list[BaseException]:
    found = []
    while error is not None:
        found.append(error)
        error = error.__cause__ or error.__context__
    return found


class ContextServer(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        ContextServer.requests.append(self.path)
        body = json.dumps({"@context": {"extra": "https://example.org/extra"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def context_server() -> Iterator[str]:
    ContextServer.requests.clear()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ContextServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/context.json"
    server.shutdown()
    server.server_close()


def test_signing_never_fetches_a_context_it_does_not_ship(ring: keys.KeyRing, issuer: Any, context_server: str) -> None:
    document = unsigned_credential(issuer) | {"@context": [contexts.VC_V2, contexts.OB_V3, context_server]}

    with pytest.raises(jsonld.JsonLdError) as raised:
        dataintegrity.add_proof(document, ring.current, "did:web:x#k", datetime.now(UTC))

    assert any(isinstance(cause, contexts.ContextNotShipped) for cause in causes(raised.value))
    assert ContextServer.requests == []  # the server that would have answered was never asked


def test_verifying_never_fetches_a_context_it_does_not_ship(
    signed: dict[str, Any], ring: keys.KeyRing, context_server: str
) -> None:
    signed["@context"] = [*signed["@context"], context_server]

    with pytest.raises(jsonld.JsonLdError):
        dataintegrity.verify_proof(signed, lambda method: ring.current.public_key)

    assert ContextServer.requests == []
