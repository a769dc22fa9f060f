"""The picture a shared certificate link previews with (Open Graph / Twitter card): a 1200 x 630
PNG drawn with Pillow in the certificate's colours and font (the DejaVu Sans the PDF embeds)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache

from django.core.cache import cache as shared_cache
from PIL import Image, ImageDraw, ImageFont

from momentum.credentials import pdf
from momentum.credentials.queries import PublicCertificate

WIDTH, HEIGHT = 1200, 630


@dataclass(frozen=True)
class Card:
    issuer: str
    learner_name: str
    course_title: str
    issued_on: str
    revoked_on: str | None


def card_of(certificate: PublicCertificate) -> Card:
    def day(moment: object) -> str:
        return f"{moment.day} {moment.strftime('%B')} {moment.year}"  # type: ignore[attr-defined]

    return Card(
        issuer=certificate.issuer,
        learner_name=certificate.learner_name,
        course_title=certificate.course_title,
        issued_on=day(certificate.issued_at),
        revoked_on=day(certificate.revoked_at) if certificate.revoked_at else None,
    )


@cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(pdf.FONTS / name), size)


def _centred(draw: ImageDraw.ImageDraw, y: int, text: str, *, bold: bool, size: int, fill: str) -> None:
    while size > 18 and draw.textlength(text, font=_font(bold, size)) > WIDTH - 160:
        size -= 2
    font = _font(bold, size)
    draw.text(((WIDTH - draw.textlength(text, font=font)) / 2, y), text, font=font, fill=fill)


CACHE_SECONDS = 24 * 3600


def card_png(card: Card) -> bytes:
    """The card's PNG, drawn once per content (a few hundred ms of CPU) and kept in the cache: the
    key is a digest of everything drawn, so a revocation or a new name draws a new one."""
    key = "credentials:card:" + hashlib.sha256(repr(card).encode()).hexdigest()
    png = shared_cache.get(key)
    if png is None:
        png = render_card(card)
        shared_cache.set(key, png, CACHE_SECONDS)
    return bytes(png)


def render_card(card: Card) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, WIDTH - 17, HEIGHT - 17), outline=pdf.BRAND, width=10)
    draw.rectangle((26, 26, WIDTH - 27, 40), fill=pdf.ACCENT)
    _centred(draw, 80, card.issuer, bold=True, size=40, fill=pdf.BRAND)
    _centred(draw, 160, "Certificate of completion", bold=False, size=52, fill=pdf.INK)
    _centred(draw, 270, card.learner_name, bold=True, size=56, fill=pdf.INK)
    _centred(draw, 360, "completed", bold=False, size=30, fill=pdf.MUTED)
    _centred(draw, 410, card.course_title, bold=True, size=44, fill=pdf.BRAND)
    _centred(draw, 520, f"Issued on {card.issued_on}", bold=False, size=28, fill=pdf.MUTED)
    if card.revoked_on is not None:
        draw.rectangle((0, 232, WIDTH, 352), fill=pdf.DANGER)
        _centred(draw, 252, f"REVOKED on {card.revoked_on}", bold=True, size=60, fill="#ffffff")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()
