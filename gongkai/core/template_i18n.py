"""Django's `i18n` template library with a faster `{% translate "literal" %}`.

The public pages carry a score of fixed labels each ({% translate "索引号" %} …). Django's tag turns
every one into a lazy translation object and back into text on every render — about a fifth of the
time of an uncached record page. A fixed message has one output per language (and autoescape
setting), so this library's `translate`/`trans` remember that output the first time it is needed.
Everything else — variables, filters, `context`, `noop` — is left to Django's own node, and every
other tag and filter of the library is Django's. Templates keep `{% load i18n %}` and the same
syntax, so `makemessages` extracts them as before. Registered in settings.TEMPLATES as the `i18n`
library (it replaces Django's under the same name).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import Node, Parser, Token
from django.template.context import Context
from django.templatetags import i18n as django_i18n
from django.utils import translation

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


class FixedTranslateNode(Node):
    """A `{% translate "literal" [as var] %}`: Django's node renders it once per language."""

    child_nodelists = ()

    def __init__(self, node: django_i18n.TranslateNode) -> None:
        self.node = node
        self.asvar = node.asvar
        self.outputs: dict[tuple[str | None, bool], str] = {}

    def render(self, context: Context) -> str:
        key = (active_language(context), context.autoescape)
        value = self.outputs.get(key)
        if value is None:
            if self.asvar:
                self.node.render(context)
                value = context[self.asvar]
            else:
                value = self.node.render(context)
            self.outputs[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


_LANGUAGE = "gongkai.template_i18n.language"


def active_language(context: Context) -> str | None:
    """The active language, looked up once per template render (a lookup costs a few µs)."""
    state = context.render_context
    language: str | None = state.get(_LANGUAGE)
    if language is None:
        language = state[_LANGUAGE] = translation.get_language()
    return language


class LanguageNode(Node):
    """Django's `{% language %}`, forgetting the remembered language inside and after the block."""

    def __init__(self, node: django_i18n.LanguageNode) -> None:
        self.node = node
        self.nodelist = node.nodelist

    def render(self, context: Context) -> str:
        state = context.render_context
        saved = state.get(_LANGUAGE)
        state[_LANGUAGE] = None
        try:
            return self.node.render(context)
        finally:
            state[_LANGUAGE] = saved


def _is_fixed(node: django_i18n.TranslateNode) -> bool:
    expression = node.filter_expression
    variable = expression.var
    return (
        not node.noop
        and node.message_context is None
        and not expression.filters
        and isinstance(variable, template.Variable)
        and isinstance(variable.literal, str)
    )


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: Parser, token: Token) -> Node:
    node: Any = django_i18n.do_translate(parser, token)
    return FixedTranslateNode(node) if _is_fixed(node) else node


@register.tag("language")
def do_language(parser: Parser, token: Token) -> Node:
    node: Any = django_i18n.language(parser, token)
    return LanguageNode(node)
