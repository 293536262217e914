"""`{% fixed key… %}…{% endfixed %}`: a fragment rendered once per process, language and key.

For the parts of the page chrome that depend on nothing but the language and a few context values
(the portal's navigation and footer: fixed addresses and labels). Unlike `{% cache %}` it needs no
cache backend, has no expiry and no pickling — so it must only wrap markup that cannot change while
the process runs (addresses from the URL configuration, translated labels, settings). A node keeps
at most MAX_VARIANTS renderings; beyond that it renders without remembering.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from gongkai.core.template_i18n import active_language

register = template.Library()

MAX_VARIANTS = 64


class FixedNode(Node):
    def __init__(self, nodelist: NodeList, keys: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.keys = keys
        self.variants: dict[tuple[object, ...], SafeString] = {}

    def render(self, context: Context) -> SafeString:
        key = (
            active_language(context),
            context.autoescape,
            *(str(k.resolve(context)) for k in self.keys),
        )
        output = self.variants.get(key)
        if output is None:
            output = mark_safe(self.nodelist.render(context))
            if len(self.variants) < MAX_VARIANTS:
                self.variants[key] = output
        return output


@register.tag("fixed")
def do_fixed(parser: Parser, token: Token) -> FixedNode:
    """{% fixed [key …] %} … {% endfixed %}"""
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    return FixedNode(nodelist, keys)
