"""A badge's image: a PNG drawn from its name (no artwork is stored for badges), into which the
API bakes the credential (openbadges.baking)."""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

SIZE = 256
COLOURS = ((37, 99, 235), (5, 150, 105), (217, 119, 6), (147, 51, 234), (220, 38, 38), (8, 145, 178))


def initials(name: str) -> str:
    words = [word for word in name.replace("-", " ").split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "★"


@lru_cache(maxsize=128)
def render(code: str, name: str) -> bytes:
    """A round medal in a colour picked by the badge's code, its initials in the middle."""
    colour = COLOURS[sum(code.encode()) % len(COLOURS)]
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=(*colour, 255), outline=(255, 255, 255, 255), width=10)
    draw.ellipse((34, 34, SIZE - 34, SIZE - 34), outline=(255, 255, 255, 160), width=4)
    font = ImageFont.load_default(size=88)
    draw.text((SIZE / 2, SIZE / 2), initials(name), fill=(255, 255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
