"""The faster `{% translate %}` (core/template_i18n.py) and `{% fixed %}` (core/templatetags/fragments.py)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from gongkai.core.templatetags import fragments


def render(template: Template, **context: object) -> str:
    return template.render(Context(context))


def test_fixed_label_follows_the_active_language_on_every_render():
    template = Template('{% load i18n %}{% translate "首页" %}|{% trans "首页" as home %}{{ home }}')
    with translation.override("en"):
        assert render(template) == "Home|Home"
    with translation.override("zh-hans"):
        assert render(template) == "首页|首页"
    with translation.override("en"):
        assert render(template) == "Home|Home"


def test_language_block_switches_inside_and_restores_after():
    template = Template(
        '{% load i18n %}{% translate "首页" %}/'
        '{% language "en" %}{% translate "首页" %}{% endlanguage %}/{% translate "首页" %}'
    )
    with translation.override("zh-hans"):
        assert render(template) == "首页/Home/首页"


def test_variables_filters_and_context_are_still_djangos():
    template = Template(
        '{% load i18n %}{% translate label %}|{% translate "首页"|upper %}|{% translate "x" noop %}'
    )
    with translation.override("en"):
        assert render(template, label="首页") == "Home|HOME|x"
        assert render(template, label="<b>") == "&lt;b&gt;|HOME|x"


def test_fixed_fragment_is_rendered_once_per_language_and_key():
    template = Template("{% load fragments %}{% fixed nav %}{{ nav }}:{{ count }}{% endfixed %}")
    with translation.override("zh-hans"):
        assert render(template, nav="home", count=1) == "home:1"
        assert render(template, nav="home", count=2) == "home:1"  # remembered
        assert render(template, nav="search", count=3) == "search:3"
    with translation.override("en"):
        assert render(template, nav="home", count=4) == "home:4"


def test_fixed_fragment_stops_remembering_beyond_its_bound(monkeypatch):
    monkeypatch.setattr(fragments, "MAX_VARIANTS", 2)
    template = Template("{% load fragments %}{% fixed key %}{{ key }}{{ count }}{% endfixed %}")
    for key in ("a", "b", "c"):
        render(template, key=key, count=1)
    assert render(template, key="c", count=2) == "c2"  # not kept: rendered afresh
    assert render(template, key="a", count=2) == "a1"
