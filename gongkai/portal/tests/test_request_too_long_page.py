"""An address too long for nginx (docs/deploy/nginx.conf) gets the project's static page, not
nginx's raw 414/400: the page exists among the portal's static files, in Chinese and English,
without script; the conf reads request lines as long as gunicorn does and points its errors there."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[3]
NGINX_CONF = ROOT / "docs" / "deploy" / "nginx.conf"
PAGE = "gongkai/request-too-long.html"


def https_server_block() -> str:
    """The 443 server's directives at its own level (comments and its location blocks cut out)."""
    conf = re.sub(r"#[^\n]*", "", NGINX_CONF.read_text(encoding="utf-8"))
    server = conf[conf.index("listen 443") :]
    return re.sub(r"\blocation\s[^{]*\{[^{}]*\}", "", server)


def test_the_static_page_exists_in_both_languages_without_script():
    found = finders.find(PAGE)
    assert found, PAGE
    html = Path(found).read_text(encoding="utf-8")

    assert "<script" not in html.lower() and "javascript:" not in html.lower()
    assert 'lang="zh-CN"' in html and "网址太长" in html
    assert 'lang="en"' in html and "Address too long" in html
    # Only the portal's own stylesheets, which exist under the same static folder.
    for href in re.findall(r'href="/static/([^"]+)"', html):
        assert finders.find(href), href


def test_nginx_reads_as_long_a_line_as_gunicorn_and_answers_with_the_page():
    import gongkai.gunicorn_conf as gunicorn_conf

    server = https_server_block()
    buffers = re.search(r"^\s*large_client_header_buffers\s+(\d+)\s+(\d+)([km]?);", server, re.M)
    assert buffers, "large_client_header_buffers in the 443 server"
    size = int(buffers.group(2)) * {"": 1, "k": 1024, "m": 1024 * 1024}[buffers.group(3)]
    assert size == gunicorn_conf.limit_request_line + 2  # the line and its CRLF in one buffer

    error_page = re.search(r"^\s*error_page\s+([\d\s]+?)\s+(\S+);", server, re.M)
    assert error_page, "error_page in the 443 server (not in a location: nginx's own errors)"
    codes = set(error_page.group(1).split())
    assert {"400", "414"} <= codes
    assert error_page.group(2) == "/static/" + PAGE
    directives = re.sub(r"#[^\n]*", "", NGINX_CONF.read_text(encoding="utf-8"))
    assert "proxy_intercept_errors" not in directives  # the application's own 400/414 pages pass
