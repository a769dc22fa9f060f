"""Markdown renders to safe HTML: formatting survives, scripts and handlers do not."""

from html.parser import HTMLParser

import pytest

from momentum.lib.markdown import render


class Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def test_headings_lists_code_and_tables_render() -> None:
    html = render("## Key ideas\n\n- one\n- two\n\n```python\nprint(1)\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h2>Key ideas</h2>" in html
    assert "<li>one</li>" in html
    assert '<code class="language-python">' in html
    assert "<td>1</td>" in html


def test_a_top_level_heading_is_demoted_below_the_page_title() -> None:
    assert "<h2>Day one</h2>" in render("# Day one")


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        "![x](javascript:alert(1))",
        '<svg onload="alert(1)">',
        "<style>body{display:none}</style>",
    ],
)
def test_script_and_inline_handlers_never_survive(payload: str) -> None:
    elements = Elements(render(payload))
    assert not {"script", "iframe", "svg", "style", "object", "embed"} & set(elements.tags)
    assert not [name for name, _ in elements.attributes if name.startswith("on")]
    assert not [value for _, value in elements.attributes if value.strip().lower().startswith("javascript:")]


def test_links_open_safely() -> None:
    html = render("[docs](https://example.com)")
    assert 'rel="noopener noreferrer nofollow ugc"' in html
