"""Screenshots of a running server: python -m tests.e2e.shoot URL OUT.png [--mobile] [--login U:P]."""

from __future__ import annotations

import argparse

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pairs", nargs="+", help="URL OUT.png pairs")
    parser.add_argument("--mobile", action="store_true")
    parser.add_argument("--login", default="")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        viewport = {"width": 390, "height": 844} if args.mobile else {"width": 1280, "height": 900}
        page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
        if args.login:
            user, password = args.login.split(":", 1)
            page.goto(args.base + "/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", password)
            page.click("button[type=submit]:has-text('登录')")
            page.wait_for_load_state()
            if "/accounts/login/code/" in page.url:  # a demo account's code page shows its code
                page.fill("#id_code", page.inner_text(".demo-code"))
                page.press("#id_code", "Enter")
                page.wait_for_load_state()
        pairs = args.pairs
        for url, out in zip(pairs[::2], pairs[1::2], strict=True):
            page.goto(url if url.startswith("http") else args.base + url)
            page.screenshot(path=out, full_page=True)
            print(out)
        browser.close()


if __name__ == "__main__":
    main()
