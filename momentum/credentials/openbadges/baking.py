"""Open Badges 3.0 baking: a PNG badge image carrying its credential.

The credential goes in one iTXt chunk keyed ``openbadgecredential`` (uncompressed, no language
tag): the signed JSON (embedded proof) or the compact VC-JWT. Baking replaces a credential
already there; the chunk is placed right after IHDR so readers that stop at the image data
still find it.
"""

import struct
import zlib
from collections.abc import Iterator

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"


class NotAPng(ValueError):
    """Bytes that are not a well-formed PNG."""


def _chunks(png: bytes) -> Iterator[tuple[bytes, bytes]]:
    if not png.startswith(PNG_SIGNATURE):
        raise NotAPng("not a PNG file")
    offset = len(PNG_SIGNATURE)
    while offset < len(png):
        if offset + 8 > len(png):
            raise NotAPng("a truncated chunk header")
        length, kind = struct.unpack(">I4s", png[offset : offset + 8])
        data = png[offset + 8 : offset + 8 + length]
        if len(data) != length or offset + 12 + length > len(png):
            raise NotAPng("a truncated chunk")
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        if crc != zlib.crc32(kind + data):
            raise NotAPng(f"chunk {kind!r} fails its CRC")
        yield kind, data
        offset += 12 + length
        if kind == b"IEND":
            return
    raise NotAPng("no IEND chunk")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _is_credential(kind: bytes, data: bytes) -> bool:
    return kind == b"iTXt" and data.split(b"\0", 1)[0] == KEYWORD


def bake(png: bytes, credential: str) -> bytes:
    # keyword, NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL
    payload = KEYWORD + b"\0\0\0" + b"\0" + b"\0" + credential.encode("utf-8")
    out = [PNG_SIGNATURE]
    for kind, data in _chunks(png):
        if _is_credential(kind, data):
            continue
        out.append(_chunk(kind, data))
        if kind == b"IHDR":
            out.append(_chunk(b"iTXt", payload))
    return b"".join(out)


def unbake(png: bytes) -> str | None:
    """The credential baked in the image, or None."""
    for kind, data in _chunks(png):
        if _is_credential(kind, data):
            _keyword, rest = data.split(b"\0", 1)
            compressed, _method = rest[0], rest[1]
            _language, rest = rest[2:].split(b"\0", 1)
            _translated, text = rest.split(b"\0", 1)
            return (zlib.decompress(text) if compressed else text).decode("utf-8")
    return None
