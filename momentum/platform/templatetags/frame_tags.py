"""``{% piece %}``: a stretch of the page frame rendered once per process, language and key.

Every page draws the same head, header and footer around its content, up to a few marks (the
site's name, the unread count, the current language). Rendering them node by node cost about a
millisecond of every signed-in request (ADR 0024). A piece is rendered once and kept in the
process's memory (``caching.kept_here``), keyed by its template, its name (one per template), the
active language and the values the tag names::

    {% piece "bell" unread=unread_notifications here=on_notifications_page %}…{% endpiece %}

The named values are what the stretch may show: they are set in its context under those names.
It must not read the request, the user, their messages, permissions or CSRF token (refused when
the template is compiled), nor hold a block another template could override.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django import template
from django.template.base import FilterExpression, Node, NodeList, Parser, Token, TokenType
from django.template.loader_tags import BlockNode
from django.utils.translation import get_language

from momentum.platform.caching import kept_here

register = template.Library()

# What differs between two requests of one language and key: never inside a piece.
PER_REQUEST = ("request", "user", "messages", "perms", "csrf_token")
_PER_REQUEST = re.compile(rf"(?<![\w.])({'|'.join(PER_REQUEST)})\b")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


class PieceNode(Node):
    # Django walks a root template's whole tree on every render of a page that extends it, looking
    # for its blocks (ExtendsNode.render). A piece holds no block (refused when compiled), so the
    # walk need not enter it: with the frame's stretches inside pieces, most of base.html is skipped.
    child_nodelists = ()

    def __init__(self, name: str, values: dict[str, FilterExpression], nodelist: NodeList) -> None:
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context: Any) -> str:
        values = {name: value.resolve(context) for name, value in self.values.items()}
        key = f"{self.origin.name}|{self.name}|{get_language()}|{sorted(values.items())!r}"

        def build() -> str:
            with context.push(**values):
                return str(self.nodelist.render(context))

        return kept_here(key, build)


@register.tag("piece")
def piece(parser: Parser, token: Token) -> PieceNode:
    """``{% piece "name" key=value … %}…{% endpiece %}``"""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError("{% piece %} takes a quoted name, then key=value pairs")
    values = {}
    for bit in bits[2:]:
        name, sep, expression = bit.partition("=")
        if not sep or not name.isidentifier():
            raise template.TemplateSyntaxError(f"{{% piece %}} takes key=value pairs, not {bit!r}")
        values[name] = parser.compile_filter(expression)
    upcoming = cast("list[Token]", parser.tokens)[::-1]  # the parser pops tokens from the end
    for ahead in upcoming:  # the stretch, before it is parsed
        if ahead.token_type is TokenType.BLOCK and ahead.contents == "endpiece":
            break
        if ahead.token_type in (TokenType.VAR, TokenType.BLOCK) and _PER_REQUEST.search(
            _QUOTED.sub("", ahead.contents)
        ):
            raise template.TemplateSyntaxError(
                f"{{% piece {bits[1]} %}} reads what differs per request ({ahead.contents!r}): "
                "name it as a key=value of the piece instead"
            )
    nodelist = parser.parse(("endpiece",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError(f"{{% piece {bits[1]} %}} holds a block another template could override")
    return PieceNode(bits[1][1:-1], values, nodelist)
