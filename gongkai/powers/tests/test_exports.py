"""A visitor downloads the published power and responsibility lists as CSV, XLSX and JSON; a cell
a spreadsheet program would run as a formula arrives as text."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from gongkai.core.spreadsheet import safe_cell
from gongkai.powers import services


@pytest.fixture(autouse=True)
def _fresh_pages():
    """The downloads are shared public pages; one kept from another test would answer here."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fine_data(departments):
    return {
        "list_kind": "powers",
        "category": "penalty",
        "code": "CF-001",
        "name": '=HYPERLINK("http://evil.example/","违反出境入境管理处罚")',
        "sub_items": "-警告\n罚款",
        "legal_basis": "《中华人民共和国出境入境管理法》第七十一条",
        "department": departments["exit_entry"],
        "level": "province",
        "responsibilities": [
            {
                "stage": "accept",
                "duties": "@受理举报并登记",
                "boundary": "出入境管理部门",
                "public_services": "",
                "supervision": "+定期抽查",
                "accountability": "不履行或者不正确履行职责的，依法追责",
            }
        ],
    }


def _publish_powers(item, editor, reviewer):
    item = services.do_submit_item(item, actor=editor, expected_version=item.version)
    services.do_approve_item(item, actor=reviewer, expected_version=item.version)
    edition = services.do_propose_edition("powers", title="权力清单通告", actor=editor)
    services.do_publish_edition(edition, actor=reviewer, expected_version=edition.version)


def _csv(client, which):
    return list(
        csv.reader(io.StringIO(client.get(f"/powers/download/{which}.csv").content.decode("utf-8-sig")))
    )


def _xlsx(client, which):
    sheet = load_workbook(io.BytesIO(client.get(f"/powers/download/{which}.xlsx").content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_it_downloads_the_power_list_in_each_format(client, make_item, fine_data, editor, reviewer):
    _publish_powers(make_item(fine_data), editor, reviewer)
    make_item({**fine_data, "code": "CF-DRAFT", "responsibilities": []})  # never published

    data = json.loads(client.get("/powers/download/powers.json").content)
    assert data["list"] == "powers" and [i["code"] for i in data["items"]] == ["CF-001"]
    assert data["items"][0]["name"] == fine_data["name"]  # JSON carries the name as it is
    assert data["items"][0]["sub_items"] == "-警告\n罚款"
    for rows in (_csv(client, "powers"), _xlsx(client, "powers")):
        assert rows[0][:3] == ["事项编码", "职权类别", "事项名称"]
        assert [row[0] for row in rows[1:]] == ["CF-001"]
        assert rows[1][1] == "行政处罚" and rows[1][3] == "出入境管理局"


def test_it_downloads_the_responsibility_list_in_each_format(client, make_item, fine_data, editor, reviewer):
    _publish_powers(make_item(fine_data), editor, reviewer)

    data = json.loads(client.get("/powers/download/responsibilities.json").content)
    assert data["list"] == "responsibilities"
    (duty,) = data["items"]
    assert (duty["code"], duty["stage"], duty["duties"]) == ("CF-001", "受理", "@受理举报并登记")
    for rows in (_csv(client, "responsibilities"), _xlsx(client, "responsibilities")):
        assert rows[0][:4] == ["事项编码", "事项名称", "环节", "责任事项"]
        assert len(rows) == 2 and rows[1][0] == "CF-001" and rows[1][2] == "受理"


def test_it_quotes_cells_a_spreadsheet_would_run_as_formulas(client, make_item, fine_data, editor, reviewer):
    _publish_powers(make_item(fine_data), editor, reviewer)

    for rows in (_csv(client, "powers"), _xlsx(client, "powers")):
        assert rows[1][2] == "'" + fine_data["name"]
        assert rows[1][5] == "'-警告\n罚款"
    book = load_workbook(io.BytesIO(client.get("/powers/download/powers.xlsx").content))
    assert book.active["C2"].data_type == "s"  # text, not a formula
    for rows in (_csv(client, "responsibilities"), _xlsx(client, "responsibilities")):
        assert rows[1][3] == "'@受理举报并登记" and rows[1][6] == "'+定期抽查"
        assert rows[1][4] == "出入境管理部门"


@pytest.mark.parametrize(
    ("value", "written"),
    [("=1+1", "'=1+1"), ("+86 431", "'+86 431"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1")],
)
def test_safe_cell_quotes_a_formula_start(value, written):
    assert safe_cell(value) == written


def test_safe_cell_leaves_plain_text(value="普通护照签发 = 120元"):
    assert safe_cell(value) == value and safe_cell("") == ""
