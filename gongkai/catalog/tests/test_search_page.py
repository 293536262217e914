"""The results page is cut in SQL: the same names, snippets and files as from the whole texts."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from gongkai.catalog import search
from gongkai.catalog.models import Attachment, AttachmentText, Record
from gongkai.catalog.search import text

pytestmark = pytest.mark.django_db

ALPHABET = "签证户籍警民交通安全办理，。AaBb1-"


def expected_hit(record: Record, files: list[tuple[int, str, str]], needles: list[str]):
    """What the page showed when it read whole bodies and files into Python (the reference)."""
    own = text.ascii_lower("\x00".join((record.name, record.summary, record.body_text)))
    everything = text.ascii_lower("\x00".join([own, *(f[2] for f in files)]))
    if not needles or not all(n in everything for n in needles):
        return None
    source = None
    if not all(n in own for n in needles):
        missing = [n for n in needles if n not in own]
        source = next(f for f in files if any(n in text.ascii_lower(f[2]) for n in missing))
    return (
        text.highlight(record.name, needles),
        text.snippet(record.summary, record.body_text, needles)
        if source is None
        else text.snippet("", source[2], needles),
        None if source is None else source[0],
        "" if source is None else source[1],
    )


def test_it_cuts_the_same_snippets_in_sql_as_from_the_whole_texts(make_record, editor):
    rng = random.Random(11)

    def words(n):
        return "".join(rng.choice(ALPHABET) for _ in range(n))

    records = []
    files: dict[int, list[tuple[int, str, str]]] = {}
    for i in range(30):
        record = make_record(
            status="published",
            name=words(rng.randint(1, 10)),
            summary=words(rng.choice((0, 5, 150))),
            body=f"<p>{words(rng.choice((3, 60, 119, 120, 121, 400)))}</p>",
        )
        for k in range(rng.choice((0, 0, 1, 2))):
            attachment = Attachment.objects.create(
                record=record,
                file=f"t/{i}-{k}.pdf",
                original_name=f"附件{k + 1}.pdf",
                extension=".pdf",
                content_type="application/pdf",
                size=1,
                sha256="0" * 64,
                uploaded_by=editor,
                uploaded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            )
            body = words(rng.choice((0, 50, 300)))
            AttachmentText.objects.create(
                attachment=attachment, record=record, state=AttachmentText.State.DONE, text=body
            )
            if body:
                files.setdefault(record.pk, []).append((attachment.pk, attachment.original_name, body))
        records.append(record)
    # long texts with the match in the middle and at the very end
    records.append(
        make_record(status="published", name="通报", summary="", body="<p>" + "无关。" * 300 + "户籍</p>")
    )
    records.append(
        make_record(
            status="published",
            name="通报",
            summary="",
            body="<p>" + "无关。" * 300 + "户籍" + "其他。" * 200 + "</p>",
        )
    )
    records = list(Record.objects.filter(pk__in=[r.pk for r in records]))
    search.index_records(records)

    queries = (
        ["户籍", "关。户", "他", "无关"]
        + [words(rng.randint(1, 4)) for _ in range(80)]
        + [words(2) + " " + words(1) for _ in range(20)]
    )
    from_files = cut_both_ends = 0
    for query in queries:
        needles = [t.text for t in text.terms(query)]
        result = search.search(query, limit=100)
        got = {
            h.record_id: (h.name_html, h.snippet_html, h.attachment_id, h.attachment_name)
            for h in result.hits
        }
        want = {
            r.pk: hit for r in records if (hit := expected_hit(r, files.get(r.pk, []), needles)) is not None
        }
        assert got == want, query
        from_files += sum(1 for h in result.hits if h.attachment_id)
        cut_both_ends += sum(
            1 for h in result.hits if h.snippet_html.startswith("…") and h.snippet_html.endswith("…")
        )
    assert from_files and cut_both_ends  # the story covered files and windows inside long texts
