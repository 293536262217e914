"""The web controls of docs/security.md, asserted: every answer carries the content security
policy (scripts from the site only, no inline script, no framing), frame denial, nosniff and a
referrer policy; and no template holds what that policy would block — an inline `<script>` body,
an `on…=` handler or a `javascript:` address (the service guide's print button was one)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "gongkai"
PAGES = ["/", "/catalog/", "/apply/", "/powers/", "/press/", "/interact/", "/reports/", "/no-such-page/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_carries_the_security_headers(client, departments, path):
    response = client.get(path)

    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers.get("Referrer-Policy")


def test_a_staff_page_is_not_stored_by_caches(client, reviewer):
    client.force_login(reviewer)

    response = client.get("/workbench/")

    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Security-Policy"]


HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.S)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_no_template_holds_what_the_policy_blocks():
    found = []
    for path in ROOT.rglob("*.html"):
        if "tests" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for name, pattern in (
            ("handler", HANDLER),
            ("inline script", INLINE_SCRIPT),
            ("javascript:", JS_URL),
        ):
            if pattern.search(source):
                found.append(f"{path.relative_to(ROOT)}: {name}")
    assert not found, found
