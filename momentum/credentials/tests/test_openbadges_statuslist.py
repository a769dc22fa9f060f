"""The Bitstring Status List a verifier reads offline: at least 131,072 entries, GZIP then
multibase base64url, a revoked credential's bit set; the list is a signed credential itself."""

from __future__ import annotations

import base64
import gzip
from pathlib import Path
from typing import Any

import pytest

from momentum.credentials.openbadges import dataintegrity, did, keys, statuslist

from .conftest import ISSUED, SITE
from .test_openbadges_proofs import independently_verified

LIST_URL = f"{SITE}/api/v1/credentials/status-lists/0"


def bits_of(encoded: str) -> bytes:
    """Decode as the spec tells a verifier to, with the standard library only."""
    assert encoded.startswith("u")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit(bits: bytes, index: int) -> int:
    return (bits[index // 8] >> (7 - index % 8)) & 1


def test_a_revoked_credentials_bit_is_set_and_no_other() -> None:
    bits = bits_of(statuslist.encode([3, 131_071]))

    assert len(bits) * 8 == 131_072
    assert [index for index in range(131_072) if bit(bits, index)] == [3, 131_071]


def test_an_empty_list_still_has_the_minimum_131072_entries() -> None:
    assert len(bits_of(statuslist.encode([]))) * 8 >= 131_072


def test_an_index_past_the_list_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        statuslist.encode([131_072])


def test_status_indexes_past_one_list_go_to_the_next() -> None:
    assert statuslist.position(5) == (0, 5)
    assert statuslist.position(131_072 + 9) == (1, 9)


def test_the_status_list_credential_is_signed_and_says_which_credential_is_revoked(
    ring: keys.KeyRing, standards: Path
) -> None:
    issuer_id = did.did_web(SITE)
    unsigned = statuslist.list_credential(list_url=LIST_URL, issuer_id=issuer_id, set_bits=[7], valid_from=ISSUED)

    signed: dict[str, Any] = dataintegrity.add_proof(
        unsigned, ring.current, did.verification_method(issuer_id, ring.current.kid), ISSUED
    )

    subject = signed["credentialSubject"]
    assert signed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert bit(bits_of(subject["encodedList"]), 7) == 1
    assert bit(bits_of(subject["encodedList"]), 8) == 0
    assert independently_verified(signed, did.did_document(issuer_id, ring), standards)
