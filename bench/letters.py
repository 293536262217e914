"""Benchmark of the case letters (gongkai/inforequests/letters).

    .venv/bin/python -m bench.letters [--repeat 30]

Renders every letter kind (and, for replies, three outcomes) N times to DOCX and to PDF and prints
the median and p95 milliseconds per letter, the first (cold) render of each format, and the sizes.
No database: the letters module takes a ready ``LetterContext``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from gongkai.inforequests.letters.docx import render_docx
from gongkai.inforequests.letters.pdf import render_pdf
from gongkai.inforequests.letters.samples import sample

CASES = [
    ("acknowledgement", None),
    ("supplement", None),
    ("extension", None),
    ("consultation", None),
    ("fee_notice", None),
    ("reply", "granted"),
    ("reply", "partial"),
    ("reply", "unable.not_held"),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    contexts = [(kind + (f":{outcome}" if outcome else ""), sample(kind, outcome)) for kind, outcome in CASES]
    cold = {}
    for name, render in (("docx", render_docx), ("pdf", render_pdf)):
        start = time.perf_counter()
        render(contexts[0][1])
        cold[name] = (time.perf_counter() - start) * 1000

    print(f"cold first letter: DOCX {cold['docx']:.0f} ms, PDF {cold['pdf']:.0f} ms (font registration)")
    print(f"{'letter':<24} {'DOCX median':>12} {'p95':>7} {'KB':>5} {'PDF median':>11} {'p95':>7} {'KB':>5}")
    all_times: dict[str, list[float]] = {"docx": [], "pdf": []}
    for label, ctx in contexts:
        row = [f"{label:<24}"]
        for name, render in (("docx", render_docx), ("pdf", render_pdf)):
            times = []
            size = 0
            for _ in range(args.repeat):
                start = time.perf_counter()
                size = len(render(ctx))
                times.append((time.perf_counter() - start) * 1000)
            all_times[name].extend(times)
            width = 12 if name == "docx" else 11
            row.append(
                f"{statistics.median(times):>{width}.1f} {percentile(times, 0.95):>7.1f} {size / 1024:>5.0f}"
            )
        print(" ".join(row))
    for name, times in all_times.items():
        print(
            f"all {name.upper()}: median {statistics.median(times):.1f} ms, "
            f"p95 {percentile(times, 0.95):.1f} ms over {len(times)} renders"
        )


if __name__ == "__main__":
    main()
