"""Real PDF files for the tests, written with pypdf: text pages, encrypted ones and bombs."""

from __future__ import annotations

import io
import zlib

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    StreamObject,
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _font(writer: PdfWriter) -> DictionaryObject:
    helvetica = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    return DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(helvetica)})})


def _content(lines: list[str]) -> bytes:
    operators = ["BT", "/F1 11 Tf", "14 TL", "56 790 Td"]
    operators += [f"({_escape(line)}) Tj T*" for line in lines]
    operators.append("ET")
    return "\n".join(operators).encode("latin-1", errors="replace")


def _wrap(text: str, width: int = 90) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words, line = paragraph.split(), ""
        for word in words:
            if len(line) + len(word) + 1 > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    return lines


def text_pdf(pages: list[str], *, password: str | None = None) -> bytes:
    """A PDF with one page per string, in Helvetica, text extractable."""
    writer = PdfWriter()
    resources = _font(writer)
    for text in pages:
        page = writer.add_blank_page(width=595, height=842)
        stream = DecodedStreamObject()
        stream.set_data(_content(_wrap(text)[:55]))
        page[NameObject("/Resources")] = resources
        page[NameObject("/Contents")] = writer._add_object(stream)
    if password is not None:
        writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def many_pages_pdf(count: int, text: str) -> bytes:
    """``count`` pages sharing one content stream: a small file that claims a huge document."""
    writer = PdfWriter()
    resources = _font(writer)
    stream = DecodedStreamObject()
    stream.set_data(_content(_wrap(text)))
    shared = writer._add_object(stream)
    for _ in range(count):
        page = writer.add_blank_page(width=595, height=842)
        page[NameObject("/Resources")] = resources
        page[NameObject("/Contents")] = shared
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def inflation_bomb_pdf(inflated_bytes: int, *, first_page: str) -> bytes:
    """A readable first page, then a page whose content stream inflates to ``inflated_bytes``."""
    writer = PdfWriter()
    resources = _font(writer)
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(_content(_wrap(first_page)))
    page[NameObject("/Resources")] = resources
    page[NameObject("/Contents")] = writer._add_object(stream)

    compressor = zlib.compressobj(9)
    block = b"(AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA) Tj\n" * 16384
    parts = [compressor.compress(b"BT /F1 11 Tf 56 790 Td\n")]
    for _ in range(inflated_bytes // len(block)):
        parts.append(compressor.compress(block))
    parts.append(compressor.compress(b"ET\n") + compressor.flush())
    bomb = StreamObject()
    bomb._data = b"".join(parts)
    bomb[NameObject("/Filter")] = ArrayObject([NameObject("/FlateDecode")])
    second = writer.add_blank_page(width=595, height=842)
    second[NameObject("/Resources")] = resources
    second[NameObject("/Contents")] = writer._add_object(bomb)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
