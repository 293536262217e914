"""Importing an agency's existing catalog: good files, malformed files, bad rows, the rule, the command."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from gongkai.catalog import search, services
from gongkai.catalog.importer import ImportFileError, do_import_records, import_file, read_table
from gongkai.catalog.models import IndexSequence, Publication, Record, RecordTransition
from gongkai.core.models import AuditEvent

HEADER = [
    "索引号",
    "名称",
    "内容概述",
    "正文",
    "成文日期",
    "发布机构",
    "文号",
    "主题分类",
    "责任部门",
    "发布日期",
]
NOW = timezone.make_aware(dt.datetime(2016, 3, 1, 10, 0))


def row(**values):
    base = {
        "索引号": "",
        "名称": "关于延吉口岸签证业务启动的通告",
        "内容概述": "延吉口岸自即日起受理口岸签证业务。",
        "正文": "根据有关规定，延吉口岸签证业务正式启动。",
        "成文日期": "2015-06-01",
        "发布机构": "吉林省公安厅",
        "文号": "吉公通〔2015〕12号",
        "主题分类": "规范性文件",
        "责任部门": "出入境管理局",
        "发布日期": "",
    }
    base.update(values)
    return base


def csv_bytes(rows, header=HEADER, encoding="utf-8"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(h, "") for h in header])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER, title=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for r in rows:
        sheet.append([r.get(h, "") for h in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def run(reviewer, editor):
    def run_import(content, name="catalog.csv", **options):
        return import_file(name, content, actor=reviewer, now=NOW, **options)

    return run_import


def test_it_imports_a_good_csv(run):
    report = run(
        csv_bytes(
            [
                row(索引号="013544308/2015-00007", 发布日期="2015-06-03"),
                row(名称="关于暂住证办理的通知", 文号="", 成文日期="2015/07/01"),
                row(名称="护照办理须知", 成文日期="2015年8月9日", 主题分类="policy-other"),
            ]
        )
    )

    assert report.file_error is None and report.errors == []
    assert (report.imported, report.published, report.drafts) == (3, 1, 2)
    published = Record.objects.get(index_number="013544308/2015-00007")
    assert published.status == "published"
    assert timezone.localtime(published.published_at).date() == dt.date(2015, 6, 3)
    assert published.body == "<p>根据有关规定，延吉口岸签证业务正式启动。</p>"
    assert Publication.objects.get(record=published).channel == "portal"
    assert RecordTransition.objects.get(record=published).to_status == "published"
    drafts = Record.objects.filter(status="draft").order_by("index_number")
    assert [r.formed_on for r in drafts] == [dt.date(2015, 7, 1), dt.date(2015, 8, 9)]
    assert [r.category.code for r in drafts] == ["policy-rules", "policy-other"]
    # Numbers are issued above the imported one, never reusing it.
    assert [r.index_number for r in drafts] == ["013544308/2015-00008", "013544308/2015-00009"]


def test_it_imports_xlsx_with_date_cells_and_a_title_row(run):
    content = xlsx_bytes(
        [row(成文日期=dt.datetime(2015, 6, 1), 发布日期=dt.datetime(2015, 6, 2, 9, 30))],
        title="吉林省公安厅政府信息公开目录",
    )

    report = run(content, name="目录.xlsx")

    assert report.kind == "xlsx"
    assert report.imported == 1
    record = Record.objects.get()
    assert record.formed_on == dt.date(2015, 6, 1)
    assert timezone.localtime(record.published_at).replace(tzinfo=None) == dt.datetime(2015, 6, 2, 9, 30)


def test_it_reads_utf8_with_a_byte_order_mark(run):
    report = run(b"\xef\xbb\xbf" + csv_bytes([row()]))

    assert (report.encoding, report.imported) == ("utf-8-sig", 1)
    assert Record.objects.get().name == "关于延吉口岸签证业务启动的通告"


def test_it_reads_gb18030_saved_by_excel(run):
    report = run(csv_bytes([row(名称="关于鄂尔多斯的通告")], encoding="gb18030"))

    assert (report.encoding, report.imported) == ("gb18030", 1)
    assert Record.objects.get().name == "关于鄂尔多斯的通告"


def test_it_accepts_english_column_names(run):
    header = ["name", "formed_on", "issuer", "category", "department", "published_at"]
    content = csv_bytes(
        [
            {
                "name": "Notice",
                "formed_on": "2015-06-01",
                "issuer": "吉林省公安厅",
                "category": "policy-rules",
                "department": "出入境管理局",
                "published_at": "2015-06-02 08:00",
            }
        ],
        header=header,
    )

    assert run(content).published == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "文件内容是 PNG"),
        (b"", "文件是空的"),
        (b"   \r\n", "文件是空的"),
        ("名称,成文日期,发布机构\n通告,2015-06-01,吉林省公安厅\n".encode(), "缺少必填列：主题分类、责任部门"),
        (",".join(HEADER).encode() + b"\n", "没有数据行"),
        (b"PK\x03\x04not really a zip", "文件已损坏"),
        (b"hello,world\n1,2\n", "找不到表头"),
    ],
    ids=["png", "empty", "blank", "missing-columns", "header-only", "broken-zip", "no-header"],
)
def test_a_malformed_file_imports_nothing_and_says_why(run, content, message):
    report = run(content)

    assert report.file_error is not None
    assert message in report.file_error.message
    assert report.file_error.message_en
    assert report.imported == 0
    assert not Record.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="catalog.import").exists()


def test_it_refuses_text_in_an_unknown_encoding():
    with pytest.raises(ImportFileError, match="字符编码"):
        read_table("名称,成文日期\n".encode() + b"\x81\x20\xff")


def bad_file():
    return csv_bytes(
        [
            row(名称="好的一行"),
            row(名称="", 成文日期="2015-13-01"),
            row(名称="文号不规范", 文号="吉公通[2015]1号"),
            row(名称="栏目不是最末一级", 主题分类="政策文件"),
            row(名称="部门不存在", 责任部门="不存在的部门"),
            row(名称="索引号格式错", 索引号="2015-1"),
        ]
    )


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_imported(run):
    report = run(bad_file())

    assert report.imported == 0
    assert not Record.objects.exists()
    by_cell = {(e.row, e.column): e for e in report.errors}
    assert set(by_cell) == {
        (3, "名称"),
        (3, "成文日期"),
        (4, "文号"),
        (5, "主题分类"),
        (6, "责任部门"),
        (7, "索引号"),
    }
    assert "〔〕" in by_cell[(4, "文号")].message
    assert "leaf" in by_cell[(5, "主题分类")].message_en
    assert report.bad_rows == 5 and report.valid == 1
    assert AuditEvent.objects.filter(action="catalog.import.refused").count() == 1


def test_partial_imports_the_good_rows_and_skips_the_bad(run):
    report = run(bad_file(), partial=True)

    assert (report.imported, report.skipped) == (1, 5)
    assert list(Record.objects.values_list("name", flat=True)) == ["好的一行"]


def test_a_dry_run_writes_nothing(run):
    report = run(bad_file(), partial=True, dry_run=True)

    assert report.importable == 1
    assert not Record.objects.exists()
    assert not IndexSequence.objects.exists()


def test_duplicate_index_numbers_in_the_file_are_row_errors(run):
    report = run(
        csv_bytes(
            [row(索引号="013544308/2015-00001"), row(), row(索引号="013544308/2015-00001", 名称="重复")]
        )
    )

    assert [(e.row, e.column) for e in report.errors] == [(4, "索引号")]
    assert "第 2 行" in report.errors[0].message
    assert not Record.objects.exists()


def test_index_numbers_already_in_the_catalog_are_row_errors(run, make_record):
    existing = make_record("draft")

    report = run(csv_bytes([row(索引号=existing.index_number)]))

    assert [(e.row, e.column) for e in report.errors] == [(2, "索引号")]
    assert "already used" in report.errors[0].message_en


def test_numbers_issued_after_an_import_never_reuse_imported_ones(run, editor, record_data):
    run(csv_bytes([row(索引号="013544308/2015-00050")]))

    record = services.do_create_record(record_data, actor=editor)

    assert record.index_number == "013544308/2015-00051"


def test_only_proactive_non_secret_rows_can_be_imported_as_published(run):
    report = run(
        csv_bytes(
            [row(发布日期="2015-06-02", 公开属性="依申请公开", 不公开依据="art27")],
            header=[*HEADER, "公开属性", "不公开依据"],
        )
    )

    assert [(e.row, e.column) for e in report.errors] == [(2, "发布日期")]


def test_published_rows_are_searchable_and_drafts_are_not(run):
    run(
        csv_bytes(
            [
                row(名称="护照加急办理须知", 发布日期="2015-06-03"),
                row(名称="护照草稿须知"),
            ]
        )
    )

    result = search.search("护照")

    assert result.total == 1
    assert Record.objects.get(pk=result.hits[0].record_id).name == "护照加急办理须知"


def test_it_writes_audit_events(run, reviewer):
    run(csv_bytes([row(), row(名称="第二条", 发布日期="2015-06-05")]))

    completed = AuditEvent.objects.get(action="catalog.import.completed")
    assert completed.actor == reviewer
    assert completed.after is not None
    assert (completed.after["imported"], completed.after["published"]) == (2, 1)
    events = AuditEvent.objects.filter(action="catalog.record.imported")
    assert events.count() == 2
    assert {e.object_id for e in events} == {str(pk) for pk in Record.objects.values_list("pk", flat=True)}


def test_the_per_record_events_go_through_cores_bulk_audit_api(run, reviewer, monkeypatch):
    from gongkai.core import audit

    written = []
    log_events_bulk = audit.log_events_bulk

    def spy(rows, **kwargs):
        written.extend(rows)
        return log_events_bulk(rows, **kwargs)

    monkeypatch.setattr(audit, "log_events_bulk", spy)
    run(csv_bytes([row(), row(名称="第二条", 发布日期="2015-06-05")]))

    assert [r["action"] for r in written] == ["catalog.record.imported"] * 2
    event = AuditEvent.objects.get(action="catalog.record.imported", after__name="第二条")
    record = Record.objects.get(name="第二条")
    assert (event.object_type, event.object_id) == ("catalog.record", str(record.pk))
    assert event.object_repr == f"{record.index_number} 第二条"
    assert (event.actor, event.actor_label, event.at) == (reviewer, reviewer.get_full_name(), NOW)
    assert event.after is not None and event.after["published_at"].startswith("2015-06-05")


def test_only_the_disclosure_office_may_import(editor):
    from gongkai.catalog.importer import CheckedRows

    with pytest.raises(services.PermissionDeniedError):
        do_import_records(CheckedRows(), actor=editor, now=NOW)


def test_the_command_imports_and_fails_when_nothing_is_imported(reviewer, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([row(发布日期="2015-06-02")]))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(bad_file())

    call_command("import_catalog", str(good), "--as", "reviewer")
    assert Record.objects.filter(status="published").count() == 1
    assert "imported: 1" in capsys.readouterr().out

    with pytest.raises(CommandError, match="未导入任何信息"):
        call_command("import_catalog", str(bad))
    output = capsys.readouterr().out
    assert "文号“吉公通[2015]1号”格式不规范" in output
    with pytest.raises(CommandError, match="PNG"):
        png = tmp_path / "picture.csv"
        png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
        call_command("import_catalog", str(png), "--as", "reviewer")


def test_the_same_file_is_not_imported_twice_unless_asked(run):
    content = csv_bytes([row()])
    assert run(content).imported == 1

    again = run(content, name="renamed.csv")
    assert again.imported == 0 and again.file_error is not None
    assert "已于" in again.file_error.message and "already imported" in again.file_error.message_en
    assert Record.objects.count() == 1

    assert run(content, allow_repeat=True).imported == 1
    assert Record.objects.count() == 2


def test_a_file_that_imported_nothing_may_be_imported_again(run):
    content = csv_bytes([row(名称="")])  # a bad row: nothing imported
    assert run(content).imported == 0
    again = run(content)
    assert again.file_error is None and again.errors
