"""Multibase encodings the credentials use: base58btc (prefix ``z``) and base64url without padding
(prefix ``u``), and the Ed25519 Multikey (multicodec 0xed01 before the 32 key bytes)."""

import base64

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_PUB_MULTICODEC = b"\xed\x01"


class MultibaseError(ValueError):
    """A value that is not the multibase encoding it claims to be."""


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(BASE58_ALPHABET[rest])
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = BASE58_ALPHABET.find(char)
        if index < 0:
            raise MultibaseError(f"{char!r} is not a base58btc character")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    leading_ones = len(text) - len(text.lstrip("1"))
    return b"\0" * leading_ones + body


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as error:
        raise MultibaseError("not base64url") from error


def encode(data: bytes, base: str = "base58btc") -> str:
    if base == "base58btc":
        return "z" + b58encode(data)
    if base == "base64url":
        return "u" + b64url_encode(data)
    raise MultibaseError(f"unsupported multibase {base}")


def decode(text: str) -> bytes:
    if text.startswith("z"):
        return b58decode(text[1:])
    if text.startswith("u"):
        return b64url_decode(text[1:])
    raise MultibaseError("only base58btc (z) and base64url (u) multibase values are read")


def ed25519_multikey(public_key: bytes) -> str:
    """The ``publicKeyMultibase`` of an Ed25519 Multikey."""
    return encode(ED25519_PUB_MULTICODEC + public_key)


def ed25519_from_multikey(value: str) -> bytes:
    raw = decode(value)
    if not raw.startswith(ED25519_PUB_MULTICODEC) or len(raw) != 34:
        raise MultibaseError("not an Ed25519 Multikey")
    return raw[2:]
