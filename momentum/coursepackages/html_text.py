"""HTML from another LMS (a Canvas wiki page, a Moodle page, a QTI prompt) as lesson Markdown.

The HTML is first cleaned by nh3 (our rendering's allow-list, plus the structure and the older
emphasis tags other editors write: h1, b, i, div, span...; scripts, styles and event handlers go),
then walked: headings, paragraphs, lists, emphasis, code, quotes, tables and links become Markdown;
only http(s) and mailto links and http(s) images survive (a cartridge's relative file links
point at files we do not import). What comes out is rendered and sanitised again when shown.
"""

from __future__ import annotations

import re

import lxml.html
import nh3
from lxml import etree

from momentum.lib.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

BLOCKS = {"p", "div", "section", "article", "header", "footer", "main", "table", "figure"}
SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


READ_TAGS = ALLOWED_TAGS | {"h1", "b", "i", "u", "div", "span", "section", "article", "header", "footer", "main",
                           "figure", "figcaption", "sub", "sup", "small"}  # fmt: skip


def to_markdown(html: str) -> str:
    cleaned = nh3.clean(html, tags=READ_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                        strip_comments=True)  # fmt: skip
    if not cleaned.strip():
        return ""
    fragment = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    text = _blocks(fragment)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _inline(element: etree._Element) -> str:
    parts = [element.text or ""]
    for node in element:
        parts.append(_inline_node(node))
        parts.append(node.tail or "")
    return "".join(parts)


WRAPPERS = {"strong": "**", "b": "**", "em": "*", "i": "*"}


def _inline_node(node: etree._Element) -> str:
    tag = node.tag if isinstance(node.tag, str) else ""
    inner = _inline(node)
    if tag in WRAPPERS:
        return f"{WRAPPERS[tag]}{inner.strip()}{WRAPPERS[tag]}" if inner.strip() else ""
    if tag == "code":
        return f"`{inner}`"
    if tag == "br":
        return "  \n"
    if tag == "a":
        href = node.get("href") or ""
        return f"[{inner.strip() or href}]({href})" if SAFE_LINK.match(href) else inner
    if tag == "img":
        src = node.get("src") or ""
        return f"![{node.get('alt') or ''}]({src})" if re.match(r"^https?://", src, re.IGNORECASE) else ""
    return inner


def _blocks(element: etree._Element) -> str:
    out: list[str] = []
    if (element.text or "").strip():
        out.append(element.text or "")
    for node in element:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = max(2, int(tag[1]))
            out.append(f"\n\n{'#' * level} {_inline(node).strip()}\n\n")
        elif tag in ("ul", "ol"):
            out.append("\n\n")
            for number, item in enumerate((li for li in node if li.tag == "li"), start=1):
                marker = f"{number}." if tag == "ol" else "-"
                out.append(f"{marker} {_inline(item).strip()}\n")
            out.append("\n")
        elif tag == "pre":
            out.append(f"\n\n```\n{node.text_content().strip(chr(10))}\n```\n\n")
        elif tag == "blockquote":
            quoted = _blocks(node).strip().splitlines()
            out.append("\n\n" + "\n".join(f"> {line}" for line in quoted) + "\n\n")
        elif tag == "hr":
            out.append("\n\n---\n\n")
        elif tag in ("tr", "thead", "tbody"):
            out.append(_blocks(node))
        elif tag == "table":
            out.append("\n\n" + _table(node) + "\n\n")
        elif tag in BLOCKS:
            out.append(f"\n\n{_blocks(node).strip()}\n\n")
        else:
            out.append(_inline_node(node))
        out.append(node.tail or "")
    return "".join(out)


def _table(table: etree._Element) -> str:
    rows = [[_inline(cell).strip().replace("|", "\\|") for cell in row if cell.tag in ("td", "th")]
            for row in table.iter("tr")]  # fmt: skip
    rows = [row for row in rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
    lines.insert(1, "|" + " --- |" * width)
    return "\n".join(lines)
