"""`{% scroll_region label %}<table>…</table>{% endscroll_region %}`: a wide table that scrolls sideways.

On a phone a wide table scrolls inside its wrapper; a keyboard user can only scroll what can take the
focus (WCAG 2.1.1, axe `scrollable-region-focusable`), and a screen reader announces the stop by its
name. So the wrapper is a focusable, named region: `tabindex="0"`, `role="region"`, `aria-label`.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.template.context import Context
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def scroll_region(label: object, content: str, extra_class: str = "") -> SafeString:
    """The wrapper's markup, for tables built in Python too (core/charts.py)."""
    return format_html(
        '<div class="table-scroll{}" role="region" aria-label="{}" tabindex="0">{}</div>',
        f" {extra_class}" if extra_class else "",
        label,
        content,
    )


class ScrollRegionNode(Node):
    def __init__(self, nodelist: NodeList, label: FilterExpression) -> None:
        self.nodelist = nodelist
        self.label = label

    def render(self, context: Context) -> SafeString:
        label = self.label.resolve(context, ignore_failures=True) or ""
        return scroll_region(label, self.nodelist.render(context))


@register.tag("scroll_region")
def do_scroll_region(parser: Parser, token: Token) -> ScrollRegionNode:
    """{% scroll_region _("表名") %} … {% endscroll_region %} (the label: a caption or heading)"""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument, the region's label")
    label = parser.compile_filter(bits[1])
    nodelist = parser.parse(("endscroll_region",))
    parser.delete_first_token()
    return ScrollRegionNode(nodelist, label)
