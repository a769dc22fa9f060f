"""The embedded ``DataIntegrityProof`` with the ``eddsa-rdfc-2022`` cryptosuite (W3C VC Data
Integrity EdDSA Cryptosuites v1.0, section 3.3).

    proof config   = the proof without proofValue, with the document's @context
    hash data      = sha256(RDFC-1.0(proof config)) || sha256(RDFC-1.0(document without proof))
    proofValue     = "z" + base58btc(Ed25519 signature of hash data)

RDF Dataset Canonicalization is pyld's URDNA2015 (the algorithm RDFC-1.0 standardised), fed only
the contexts we ship (contexts.load_context never fetches).
"""

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

from momentum.credentials.openbadges import multibase
from momentum.credentials.openbadges.contexts import load_context
from momentum.credentials.openbadges.credential import iso
from momentum.credentials.openbadges.keys import SigningKey

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"

PublicKeyResolver = Callable[[str], Ed25519PublicKey | None]


class ProofError(ValueError):
    """The proof does not verify, or is not a proof of this cryptosuite."""


def canonicalize(document: dict[str, Any]) -> str:
    """RDFC-1.0 (URDNA2015) N-Quads of a JSON-LD document, with the shipped contexts only."""
    canonical: str = jsonld.normalize(
        document, {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": load_context}
    )
    return canonical


def _hash_data(unsecured: dict[str, Any], proof_config: dict[str, Any]) -> bytes:
    config = {**proof_config, "@context": unsecured["@context"]}
    return (
        hashlib.sha256(canonicalize(config).encode("utf-8")).digest()
        + hashlib.sha256(canonicalize(unsecured).encode("utf-8")).digest()
    )


def add_proof(document: dict[str, Any], key: SigningKey, verification_method: str, created: datetime) -> dict[str, Any]:
    """The document with an embedded proof made with the key (any proof it had is replaced)."""
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    proof_config = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": iso(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_hash_data(unsecured, proof_config))
    # A list of one: 1EdTech's AchievementCredential schema takes `proof` as an array.
    return {**unsecured, "proof": [{**proof_config, "proofValue": multibase.encode(signature)}]}


def verify_proof(secured: dict[str, Any], resolve_key: PublicKeyResolver) -> str:
    """The verification method that signed, or ProofError."""
    proofs = secured.get("proof")
    proof = proofs[0] if isinstance(proofs, list) and len(proofs) == 1 else proofs
    if not isinstance(proof, dict):
        raise ProofError("the document has no single embedded proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("not a DataIntegrityProof of the eddsa-rdfc-2022 cryptosuite")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof's purpose is not assertionMethod")
    method = str(proof.get("verificationMethod", ""))
    public_key = resolve_key(method) if method else None
    if public_key is None:
        raise ProofError(f"unknown verification method {method!r}")
    try:
        signature = multibase.decode(str(proof.get("proofValue", "")))
    except multibase.MultibaseError as error:
        raise ProofError(f"proofValue: {error}") from error
    unsecured = {name: value for name, value in secured.items() if name != "proof"}
    config = {name: value for name, value in proof.items() if name != "proofValue"}
    try:
        public_key.verify(signature, _hash_data(unsecured, config))
    except InvalidSignature as error:
        raise ProofError("the signature does not match the document") from error
    return method
