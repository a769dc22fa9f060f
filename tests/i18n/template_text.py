"""Visible text of a Django template that is not inside a translation tag (the template lint's eyes).

A template is cut into Django tags, variables, comments and HTML tags; what remains is text. Text
with a letter in it is visible text unless it sits inside ``{% translate %}``/``{% blocktranslate %}``,
a comment, ``<script>``/``<style>``/``<svg>``/``<code>``, or names CSS classes (``{% block body_class %}``).
The attributes a person reads (aria-label, placeholder, title, alt, data-confirm) are checked the same way.
"""

from __future__ import annotations

import re

TOKEN = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#}|<!--.*?-->|<[^>]*>)", re.S)
OPENS = re.compile(r"{%\s*(blocktranslate|blocktrans|comment|verbatim)\b")
CLOSES = re.compile(r"{%\s*(endblocktranslate|endblocktrans|endcomment|endverbatim)\s*%}")
RAW = {"script", "style", "svg", "code", "pre"}
READ_ATTRIBUTES = re.compile(r'\b(aria-label|placeholder|title|alt|data-confirm)="((?:{%.*?%}|{{.*?}}|[^"])*)"')
LETTER = re.compile(r"[^\W\d_]{2,}", re.U)
# Words that are the same in every language: the brand, and symbols.
ALLOWED = {"Momentum"}


def _visible(text: str) -> bool:
    words = [w for w in LETTER.findall(text) if w not in ALLOWED]
    return bool(words)


def untranslated_text(source: str) -> list[str]:  # noqa: PLR0912  (one pass over the tokens reads best)
    """The pieces of visible text in ``source`` that no translation tag covers."""
    found: list[str] = []
    inside_tag = 0
    raw: list[str] = []
    css_block = False
    for token in TOKEN.split(source):
        if not token:
            continue
        if inside_tag:
            if CLOSES.match(token):
                inside_tag -= 1
            continue
        if OPENS.match(token):
            inside_tag = 1
            continue
        if token.startswith("{%"):
            css_block = bool(re.match(r"{%\s*block body_class", token))
            continue
        if token.startswith(("{{", "{#", "<!--")):
            continue
        if token.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9-]*)", token)
            tag = name.group(1).lower() if name else ""
            if tag in RAW and not token.rstrip(">").endswith("/"):
                if token.startswith("</"):
                    if raw and raw[-1] == tag:
                        raw.pop()
                else:
                    raw.append(tag)
                continue
            if not raw:
                for _name, value in READ_ATTRIBUTES.findall(token):
                    literal = re.sub(
                        r"{%\s*blocktrans.*?{%\s*endblocktrans\w*\s*%}|{%.*?%}|{{.*?}}", "", value, flags=re.S
                    )
                    if _visible(literal):
                        found.append(value)
            continue
        if raw or css_block:
            continue
        if _visible(token):
            found.append(token.strip())
    return found
