"""Test steps shared by the apps' tests of a save after the session ended (gongkai/core/drafts.py)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from conftest import PASSWORD
from gongkai.core import drafts

KEPT = "您填写的内容已为您保留"
RESTORED = "已恢复您上次未保存的内容"


def stamp_from(client: Client, url: str) -> str:
    """The owner stamp of the form at ``url``, as the page gives it to the logged-in user."""
    page = client.get(url).content.decode()
    found = re.search(rf'name="{drafts.FIELD}" value="([^"]+)"', page)
    assert found, f"no {drafts.FIELD} on {url}"
    return found.group(1)


def expire_session(client: Client) -> None:
    """What an expired session looks like to the server: no session at all."""
    client.cookies.clear()


def log_in(client: Client, username: str) -> None:
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def save_after_expiry(client: Client, user: Any, url: str, data: dict[str, Any]) -> str:
    """Open the form as ``user``, let the session end, post ``data``: the page the user lands on."""
    client.force_login(user)
    posted = {**data, drafts.FIELD: stamp_from(client, url)}
    expire_session(client)
    response = client.post(url, posted, follow=True)
    assert response.redirect_chain[-1][0].startswith(f"/accounts/login/?next={url}")
    page = response.content.decode()
    assert KEPT in page
    return page


def back_after_login(client: Client, username: str, url: str) -> str:
    """Log in again and open the form: the page shown (the draft once, then gone)."""
    log_in(client, username)
    page = client.get(url).content.decode()
    assert RESTORED in page
    assert RESTORED not in client.get(url).content.decode()  # given back once
    return page
