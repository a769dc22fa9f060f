"""The offline thumbnail provider: the course's title card, drawn with Pillow."""

from __future__ import annotations

from momentum.generation.providers.base import Thumbnail, ThumbnailRequest, Usage
from momentum.generation.providers.offline.title_card import render_title_card


class TitleCardThumbnailProvider:
    """The ``local`` thumbnail provider: a 1280x720 PNG title card in the category's colours. Free."""

    name = "local"

    def probe(self) -> str:
        return "title card renderer (Pillow)"

    def render(self, request: ThumbnailRequest) -> Thumbnail:
        png = render_title_card(
            request.title, category=request.category, color=request.background, accent=request.foreground
        )
        return Thumbnail(png=png, usage=Usage(), model="title-card")
