"""A visitor browses the published lists, reads a service guide and downloads open data; the
reduction figures come from the items' history (35 → 7 = 80%)."""

import datetime as dt
import io
import json

from gongkai.core.figures import Period
from gongkai.powers import importer, services, stats


def _publish_all(editor, reviewer, items, kind="approvals"):
    for item in items:
        item = services.do_submit_item(item, actor=editor, expected_version=item.version)
        services.do_approve_item(item, actor=reviewer, expected_version=item.version)
    edition = services.do_propose_edition(kind, title="通告", actor=editor)
    services.do_publish_edition(edition, actor=reviewer, expected_version=edition.version)


def test_it_shows_the_guide_with_materials_and_flowchart(client, make_item, passport_data, editor, reviewer):
    _publish_all(editor, reviewer, [make_item(passport_data)])
    page = client.get("/powers/i/JL-CRJ-001/guide/").content.decode()
    assert "居民身份证" in page and "<svg" in page and "流程图文字说明" in page and "15 个工作日" in page
    assert "普通护照签发" in client.get("/powers/approvals/").content.decode()
    assert "普通护照签发" in client.get("/powers/search/?q=护照").content.decode()
    data = json.loads(client.get("/powers/download/approvals.json").content)
    assert data["items"][0]["code"] == "JL-CRJ-001"
    assert client.get("/powers/download/approvals.csv").content.decode("utf-8-sig").startswith("事项编码")
    assert client.get("/powers/download/approvals.xlsx").content[:2] == b"PK"


def test_the_guide_gives_its_time_limits_in_english_too(client, make_item, passport_data, editor, reviewer):
    _publish_all(editor, reviewer, [make_item(passport_data)])
    client.cookies["gk_lang"] = "en"
    page = client.get("/powers/i/JL-CRJ-001/guide/").content.decode()
    assert "15 working days" in page and "15 个工作日" not in page


def test_it_hides_an_item_never_published(client, make_item, passport_data):
    make_item(passport_data)
    assert client.get("/powers/i/JL-CRJ-001/").status_code == 404


def test_it_computes_80_percent_from_the_history(make_item, passport_data, editor, reviewer):
    items = [make_item({**passport_data, "code": f"A{n:02d}"}) for n in range(5)]
    _publish_all(editor, reviewer, items)
    for item in items[:4]:
        item.refresh_from_db()
        services.do_cancel_item(
            item,
            on=dt.date(2015, 5, 1),
            document="吉政发〔2015〕8号",
            actor=reviewer,
            expected_version=item.version,
        )
    r = stats.reduction(Period.year(2015), stats.approvals())
    assert (r.before, r.removed, r.after, str(r.rate)) == (5, 4, 1, "80.0")
    figures = {f.code: f for f in stats.figures(Period.year(2015))}
    assert figures["powers.approvals.province.rate"].value is not None
    assert figures["powers.approvals.province.cancelled"].value == 4
    objects = figures["powers.approvals.province.cancelled"].objects
    assert objects is not None and objects().count() == 4
    assert stats.reduction(Period.year(2014), stats.approvals()).removed == 0


def _xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["清单", "职权类别", "事项编码", "事项名称", "设定依据", "实施部门", "办理流程"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_imports_nothing_when_one_row_is_bad_and_names_row_and_column(editor):
    good = [
        "权力清单",
        "行政处罚",
        "CF-001",
        "违反治安管理行为处罚",
        "《治安管理处罚法》第二条",
        "出入境管理局",
        "",
    ]
    bad = [
        "权力清单",
        "行政处罚",
        "CF-002",
        "非法入境处罚",
        "《出境入境管理法》第七十一条",
        "出入境管理局",
        "1|受理|窗口|即时|5",
    ]
    outcome = importer.import_items(_xlsx([good, bad]), actor=editor)
    assert not outcome.ok and outcome.errors
    assert str(outcome.errors[0]).startswith("第 3 行“办理流程”列：")
    assert "不存在的第 5 步" in str(outcome.errors[0])
    from gongkai.powers.models import PowerItem

    assert not PowerItem.objects.exists()
    bad[6] = "1|受理|窗口|即时|"
    assert importer.import_items(_xlsx([good, bad]), actor=editor).created == 2


def test_the_power_list_figures_count_a_new_draft_only_once_published(
    make_item, passport_data, editor, reviewer
):
    this_year = Period.year(dt.date.today().year)
    power = {**passport_data, "list_kind": "powers", "code": "JL-QL-001"}
    _publish_all(editor, reviewer, [make_item(power, set_on=dt.date.today())], kind="powers")
    draft = make_item(
        {**power, "code": "JL-QL-002", "name": "治安纠纷裁决", "category": "adjudication"},
        set_on=dt.date.today(),
    )

    def items(period):
        f = {x.code: x.value for x in stats.figures(period)}
        return f["powers.items.total"], f["powers.items.categories"], f["powers.items.set"]

    assert items(this_year) == (1, 1, 1)  # the draft, unreviewed and unpublished, is on no list
    figures = {x.code: x for x in stats.figures(this_year)}
    assert figures["powers.items.category.adjudication"].value == 0
    listed = figures["powers.items.total"].objects
    assert listed is not None and list(listed().values_list("code", flat=True)) == ["JL-QL-001"]
    _publish_all(editor, reviewer, [draft], kind="powers")
    assert items(this_year) == (2, 2, 2)
    assert items(Period.year(2010)) == (0, 0, 0)  # published only now


def test_the_lists_follow_the_laws_order_of_categories_and_tell_the_levels_apart(
    client, make_item, passport_data, editor, reviewer, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0  # pages of other tests stay in the shared page cache
    power = {**passport_data, "list_kind": "powers"}
    benefit = make_item({**power, "code": "JL-QL-001", "name": "见义勇为人员抚恤", "category": "benefit"})
    licensing = make_item({**power, "code": "JL-QL-002", "name": "爆破作业单位许可"})
    _publish_all(editor, reviewer, [benefit, licensing], kind="powers")
    page = client.get("/powers/").content.decode()
    assert page.index("爆破作业单位许可") < page.index("见义勇为人员抚恤")  # 行政许可 first, as in the law
    assert page.index("行政许可（1）") < page.index("行政给付（1）")

    copies = [
        make_item({**passport_data, "code": f"JL-CRJ-00{n}", "level": level})
        for n, level in enumerate(["county", "city", "province"], start=1)
    ]
    _publish_all(editor, reviewer, copies)
    page = client.get("/powers/approvals/").content.decode()
    assert "省级" in page and "市级" in page and "县级" in page
    assert '<option value="city">市级（1）</option>' in page
    city = client.get("/powers/approvals/?level=city").content.decode()
    assert "JL-CRJ-002" in city and "JL-CRJ-001" not in city and "JL-CRJ-003" not in city
    assert client.get("/powers/approvals/?level=nowhere").content.decode().count("普通护照签发</a>") == 3
    found = client.get("/powers/search/?q=护照").content.decode()
    assert found.count("普通护照签发") == 3
    assert "省级" in found and "市级" in found and "县级" in found
