"""The one way Markdown becomes HTML: markdown-it (raw HTML off) and then nh3's allow-list.

Every piece of user- or AI-written Markdown (lessons, descriptions, previews) goes through
``render``; templates mark nothing else safe.
"""

from __future__ import annotations

import contextlib
import hashlib

import nh3
from django.core.cache import cache
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


RENDERED_TTL_SECONDS = 24 * 60 * 60


def render_cached(text: str) -> SafeString:
    """``render``, kept in the cache by the text's digest: the same text always renders the same,
    so an entry is never stale; a lesson page does not pay the parse and the sanitising."""
    key = "markdown:" + hashlib.blake2b((text or "").encode(), digest_size=20).hexdigest()
    try:
        html: str | None = cache.get(key)
    except Exception:  # a cache outage costs a render, nothing more
        return render(text)
    if html is None:
        html = str(render(text))
        with contextlib.suppress(Exception):
            cache.set(key, html, timeout=RENDERED_TTL_SECONDS)
    return mark_safe(html)  # noqa: S308  (what render returned: sanitised by nh3)
