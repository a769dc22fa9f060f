"""The one way Markdown becomes HTML: markdown-it (raw HTML off) and then nh3's allow-list.

Every piece of user- or AI-written Markdown (lessons, descriptions, previews) goes through
``render``; templates mark nothing else safe.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    )


def render(text: str) -> SafeString:
    # A lesson's own "# Title" would compete with the page's h1: demote it to h2.
    html = _parser.render(text or "").replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return mark_safe(sanitise_html(html))  # noqa: S308  (sanitised by nh3 just above)
