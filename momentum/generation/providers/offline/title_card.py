"""The offline thumbnail: a 1280x720 title card in the course category's colours (Pillow)."""

from __future__ import annotations

import io
import textwrap
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1280, 720
_BOLD_FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/Library/Fonts/Arial Bold.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
]


@cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in _BOLD_FONTS:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)  # Pillow's bundled Aileron


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def _wrap(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> list[str]:
    for chars in range(34, 8, -2):
        lines = textwrap.wrap(text, chars)
        if all(draw.textlength(line, font=font(size)) <= width for line in lines):
            return lines
    return textwrap.wrap(text, 10)


def render_title_card(title: str, *, category: str, color: str, accent: str, subtitle: str = "") -> bytes:
    """A PNG title card: gradient background, category label, the title, a subtitle."""
    base, light = _rgb(color), _rgb(accent)
    image = Image.new("RGB", (WIDTH, HEIGHT), base)
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):  # diagonal-ish gradient from the colour towards its accent
        draw.line([(0, y), (WIDTH, y)], fill=_mix(base, _mix(base, light, 0.55), y / HEIGHT))
    for i, radius in enumerate((420, 300, 190)):  # soft rings on the right, a visual signature
        ring = _mix(base, light, 0.25 + 0.2 * i)
        centre_x, centre_y = WIDTH - 260, HEIGHT // 2
        box = [centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius]
        draw.ellipse(box, outline=ring, width=18)
    margin = 84
    label_width = draw.textlength(category.upper(), font=font(30))
    label_fill = _mix(light, (255, 255, 255), 0.35)
    draw.rounded_rectangle([margin, margin, margin + 40 + label_width, margin + 54], radius=27, fill=label_fill)
    draw.text((margin + 20, margin + 11), category.upper(), font=font(30), fill=base)
    size = 76 if len(title) < 40 else 62 if len(title) < 70 else 50
    lines = _wrap(draw, title, size, WIDTH - 2 * margin - 120)[:4]
    y = HEIGHT - margin - (len(lines) * (size + 14)) - (60 if subtitle else 0)
    for line in lines:
        draw.text((margin, y), line, font=font(size), fill=(255, 255, 255))
        y += size + 14
    if subtitle:
        draw.text((margin, y + 18), subtitle, font=font(34), fill=_mix(light, (255, 255, 255), 0.6))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
