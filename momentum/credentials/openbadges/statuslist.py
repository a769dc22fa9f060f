"""W3C Bitstring Status List v1.0: revocation a verifier checks offline.

A list is a bitstring of at least 131,072 entries (16 KiB; the minimum the spec sets so one
credential's bit hides among many), bit 0 the most significant bit of the first byte, GZIP
compressed, then multibase base64url (prefix ``u``). A credential names its list and position in
a ``BitstringStatusListEntry``; a set bit means revoked. The list itself is a
``BitstringStatusListCredential`` signed like any credential.
"""

import gzip
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from momentum.credentials.openbadges import multibase
from momentum.credentials.openbadges.contexts import VC_V2
from momentum.credentials.openbadges.credential import iso

LIST_SIZE = 131_072
PURPOSE = "revocation"


def position(status_index: int) -> tuple[int, int]:
    """(list number, index within that list) of a credential's status index."""
    if status_index < 0:
        raise ValueError("a status index is never negative")
    return divmod(status_index, LIST_SIZE)


def encode(set_bits: Iterable[int], size: int = LIST_SIZE) -> str:
    bits = bytearray(size // 8)
    for index in set_bits:
        if not 0 <= index < size:
            raise ValueError(f"index {index} is outside a list of {size} entries")
        bits[index // 8] |= 0x80 >> (index % 8)
    return multibase.encode(gzip.compress(bytes(bits), mtime=0), "base64url")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise multibase.MultibaseError("an encodedList is multibase base64url (prefix u)")
    return gzip.decompress(multibase.decode(encoded))


def is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def entry(list_url: str, index: int) -> dict[str, Any]:
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def list_credential(*, list_url: str, issuer_id: str, set_bits: Iterable[int], valid_from: datetime) -> dict[str, Any]:
    """The unsigned BitstringStatusListCredential."""
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": iso(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(set_bits),
        },
    }
