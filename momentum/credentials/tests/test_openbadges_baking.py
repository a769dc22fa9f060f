"""Badge images carry their credential (Open Badges 3.0 baking): an iTXt chunk keyed
``openbadgecredential`` that a PNG library we did not write (Pillow) reads back."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image

from momentum.credentials.openbadges import baking


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (64, 64), (40, 90, 200, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_pillow_reads_the_baked_credential_from_the_openbadgecredential_chunk(signed: dict[str, Any]) -> None:
    baked = baking.bake(png(), json.dumps(signed))

    image = Image.open(io.BytesIO(baked))
    image.load()

    assert json.loads(image.text["openbadgecredential"]) == signed  # type: ignore[attr-defined]
    assert image.size == (64, 64)


def test_unbaking_returns_the_credential_and_baking_again_replaces_it(signed: dict[str, Any]) -> None:
    once = baking.bake(png(), "first.credential.jwt")
    twice = baking.bake(once, json.dumps(signed))

    assert baking.unbake(twice) == json.dumps(signed)
    assert twice.count(b"openbadgecredential") == 1


def test_an_image_without_a_credential_unbakes_to_nothing() -> None:
    assert baking.unbake(png()) is None


def test_bytes_that_are_not_a_png_are_refused() -> None:
    with pytest.raises(baking.NotAPng):
        baking.bake(b"GIF89a...", "x")
