"""Benchmark of the annual-report checker (gongkai/annualreport/checker) on a 50-page report.

    .venv/bin/python -m bench.report_check [--pages 50] [--repeat 5] [--keep DIR]

Builds a national-format report (the checker tests' 2022 report: tables 二, 三 and 四 with merged
header cells, ruled in every cell) padded with narrative until its PDF (reportlab, CJK TrueType
font embedded, page numbers) has the pages asked for; the narrative states figures the way offices
write them (dates, counts, shares, growth rates: many printed lines hold three numbers or more).
The same report goes to DOCX (python-docx). Then it times, per file, `check_bytes` (extract and
every check) and the PDF's extraction alone, against the floors measured in the same run: the
text of every page through PDFium (pypdfium2) and through `pdftotext` (poppler). Prints the data's
shape first (pages, characters, tables read), then median and p95 seconds per file and the ratio
of the checker to the best floor. No database.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ORGANS = ("治安管理", "出入境管理", "交通管理", "户政管理", "网络安全", "监所管理", "禁毒", "消防监督")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def narrative(index: int) -> tuple[str, str]:
    """A paragraph of an office's narrative with consistent figures (its parts add up)."""
    organ = ORGANS[index % len(ORGANS)]
    month = index % 12 + 1
    web, weibo, wechat = 30 + index % 17, 20 + index % 11, 10 + index % 7
    total = web + weibo + wechat
    before, after = 120 + index % 40, 150 + index % 60
    rate = round((after - before) / before * 100, 1)
    return (
        "p",
        f"{index + 1}.{organ}领域。{month}月1日至{month}月28日，我局{organ}部门通过门户网站、政务微博、政务微信"
        f"共发布政府信息{total}条，其中门户网站发布{web}条、政务微博发布{weibo}条、政务微信发布{wechat}条。"
        f"围绕{organ}重点工作，梳理公开事项{8 + index % 5}项，细化公开标准，明确公开主体、公开时限和公开方式，"
        "做到应公开尽公开；各警种按照“谁制作、谁公开，谁保存、谁公开”的原则，落实公开属性源头认定，"
        f"及时发布办事指南、政策解读和警情通报。办事指南访问量由{before}万人次增至{after}万人次，增长{rate}%。"
        "主动回应社会关切，切实保障人民群众的知情权、参与权、表达权和监督权。",
    )


def build(pages: int) -> tuple[Any, bytes, bytes, int]:
    """The report padded to `pages` PDF pages, its PDF and DOCX, and the narrative paragraphs added."""
    import pypdfium2  # type: ignore[import-untyped]

    from gongkai.annualreport.checker.tests import fixtures

    def report(filler: int) -> Any:
        base = fixtures.national_report()
        # The narrative goes into section 一 (after its five parts), before table 二's heading.
        at = next(i for i, block in enumerate(base.blocks) if block == ("h", "二、主动公开政府信息情况"))
        base.blocks[at:at] = [narrative(i) for i in range(filler)]
        return base

    def count(pdf: bytes) -> int:
        document = pypdfium2.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()

    filler = pages * 4
    pdf = fixtures.to_pdf(report(filler))
    while count(pdf) != pages:  # a few steps: a page holds about 4 paragraphs
        have = count(pdf)
        filler = max(0, filler + (pages - have) * 3 + (1 if have < pages else -1))
        pdf = fixtures.to_pdf(report(filler))
        if count(pdf) > pages and count(fixtures.to_pdf(report(filler - 1))) == pages:
            filler -= 1
            pdf = fixtures.to_pdf(report(filler))
    final = report(filler)
    return final, pdf, fixtures.to_docx(final), filler


def timed(run: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds (this process: other load on a shared machine does not count;
    pdftotext runs in a child process, so its CPU is not seen) of each run."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return wall, cpu


def pdfium_text(pdf: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    size = 0
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            size += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        document.close()
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the PDF and DOCX into this folder")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from gongkai.annualreport.checker import check_bytes
    from gongkai.annualreport.checker.extract import extract

    start = time.perf_counter()
    _report, pdf, docx, filler = build(args.pages)
    print(
        f"built in {time.perf_counter() - start:.1f} s (reportlab, python-docx): {filler} narrative paragraphs"
    )
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        (args.keep / "report.pdf").write_bytes(pdf)
        (args.keep / "report.docx").write_bytes(docx)

    for name, content in (("report.pdf", pdf), ("report.docx", docx)):
        result = check_bytes(content, name)
        lines, pages = extract(content, name)
        rows = sum(1 for line in lines if line.is_row)
        chars = sum(len(cell) for line in lines for cell in line.cells)
        tables = {key: value for key, value in result.tables.items() if value}
        print(
            f"{name}: {len(content) / 1024:.0f} KB, {pages or '-'} pages, {chars:,} characters read, "
            f"{len(lines) - rows} paragraphs, {rows} table rows; tables read: {', '.join(sorted(tables)) or 'none'}; "
            f"findings {len(result.findings)} ({', '.join(sorted(result.kinds())) or 'none'}), "
            f"confirmed {len(result.confirmed)}"
        )

    pdftotext = shutil.which("pdftotext")
    runs: list[tuple[str, Callable[[], object]]] = [
        ("PDF: check_bytes (extract + checks)", lambda: check_bytes(pdf, "report.pdf")),
        ("PDF: extract only", lambda: extract(pdf, "report.pdf")),
        ("PDF floor: PDFium text of every page", lambda: pdfium_text(pdf)),
    ]
    if pdftotext:
        runs.append(
            (
                "PDF floor: pdftotext (poppler, a process)",
                lambda: subprocess.run(
                    [pdftotext, "-q", "-", "-"], input=pdf, capture_output=True, check=True
                ),
            )
        )
    runs += [
        ("DOCX: check_bytes (extract + checks)", lambda: check_bytes(docx, "report.docx")),
        ("DOCX: extract only", lambda: extract(docx, "report.docx")),
    ]
    figures: dict[str, tuple[list[float], list[float]]] = {}
    print(
        f"{'measurement':<44} {'median s':>9} {'p95 s':>7} {'min s':>7} {'CPU median s':>13} {'CPU p95 s':>10}"
    )
    for label, run in runs:
        wall, cpu = timed(run, args.repeat)
        figures[label] = (wall, cpu)
        cpu_text = (
            f"{statistics.median(cpu):>13.3f} {percentile(cpu, 0.95):>10.3f}"
            if "process" not in label
            else f"{'-':>13} {'-':>10}"
        )
        print(
            f"{label:<44} {statistics.median(wall):>9.3f} {percentile(wall, 0.95):>7.3f} {min(wall):>7.3f} {cpu_text}"
        )
    floor_label, (floor_wall, _cpu) = min(
        ((label, times) for label, times in figures.items() if "floor" in label),
        key=lambda item: statistics.median(item[1][0]),
    )
    floor = statistics.median(floor_wall)
    wall, cpu = figures["PDF: check_bytes (extract + checks)"]
    check = statistics.median(wall)
    pdfium_cpu = statistics.median(figures["PDF floor: PDFium text of every page"][1])
    print(
        f"PDF check: {check:.3f} s median wall for {args.pages} pages ({check / args.pages * 1000:.0f} ms a page), "
        f"p95 {percentile(wall, 0.95):.3f} s; {check / floor:.1f}x the best floor ({floor_label[11:]}, {floor:.3f} s); "
        f"CPU {statistics.median(cpu):.3f} s, {statistics.median(cpu) / pdfium_cpu:.1f}x PDFium's CPU; target <= 2 s"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
