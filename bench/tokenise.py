"""How fast the search index's text is made: text.token_text (code points interleaved as UTF-32
arrays) against joining the token list (text.tokens), on bodies shaped like the catalog's
(bench.search's realistic generator when it is there, else Chinese text in lines of ~60 characters
with the common characters' mix and some ASCII), checked to give the same tokens.

    .venv/bin/python -m bench.tokenise [--chars 3000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import time


def corpus(chars: int, seed: int = 7) -> str:
    common = "的了是在和有一不为中人我公安机关出入境管理户政交通治安证件办理申请服务窗口"
    rare = "鉴赏骥馥粼琊瓒锴翊晞昀"
    ascii_words = ["APP", "12345", "2015", "http", "ID", "GB/T", "No.", "PDF"]
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        line = []
        for _ in range(rng.randint(20, 40)):
            pick = rng.random()
            if pick < 0.85:
                line.append(rng.choice(common))
            elif pick < 0.90:
                line.append(rng.choice(rare))
            elif pick < 0.96:
                line.append(rng.choice("，。、；：（）“”"))
            else:
                line.append(" " + rng.choice(ascii_words) + " ")
        text = "".join(line)
        out.append(text)
        size += len(text) + 1
    return "\n".join(out)[:chars]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=3_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from gongkai.catalog.search.text import token_text, tokens

    def joined(text: str) -> str:
        return " ".join(tokens(text))

    body = corpus(args.chars)
    segments = len(re.findall(r"\S+", body))
    print(
        f"data: {len(body):,} characters, {body.count(chr(10)) + 1:,} lines, ~{segments:,} space-separated runs"
    )
    assert token_text(body).split() == joined(body).split(), "the two give different tokens"
    best: dict[str, float] = {}
    for name, make in (("token_text (interleave)", token_text), ("join of tokens()", joined)):
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            make(body)
            times.append(time.perf_counter() - start)
        best[name] = min(times)
        print(
            f"{name:26s} best {best[name] * 1000:8.1f} ms  {len(body) / best[name] / 1e6:6.2f} M characters/s"
        )
    ratio = best["join of tokens()"] / best["token_text (interleave)"]
    print(f"ratio: token_text is {ratio:.1f}x the join  (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
