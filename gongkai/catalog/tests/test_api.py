"""The JSON API shows published records only, pages and filters them, and speaks Chinese unescaped."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.catalog import services

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def published(make_record):
    return make_record("published")


def test_it_lists_only_published_records(client, make_record):
    for status in ("draft", "submitted", "approved", "withdrawn"):
        make_record(status, name=f"未公开的信息（{status}）")
    shown = make_record("published", name="已公开的通告")

    response = client.get("/api/v1/records")

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert [item["index_number"] for item in data["items"]] == [shown.index_number]


def test_it_shows_a_published_record_without_internal_fields(client, published):
    response = client.get(f"/api/v1/records/{published.index_number}")

    assert response.status_code == 200
    data = response.json()
    assert data["index_number"] == published.index_number
    assert data["name"] == "关于延吉口岸签证业务启动的通告"
    assert data["doc_number"] == "吉公通〔2015〕12号"
    assert data["category"] == {"code": "policy-rules", "name": "规范性文件"}
    assert data["keywords"] == ["签证", "口岸"]
    assert "<script>" not in data["body"]
    assert data["channels"] == [{"code": "portal", "label": "门户网站"}]
    for internal in (
        "created_by",
        "attribute_reason",
        "return_reason",
        "version",
        "status",
        "id",
        "attribute",
    ):
        assert internal not in data


def test_it_says_when_and_by_what_a_record_was_repealed_or_amended(client, make_record, reviewer):
    in_force = make_record("published", name="仍然有效的通告")
    repealed = make_record("published", name="已废止的规定", summary="护照")
    amended = make_record("published", name="已修改的规定")
    for record, validity, on, document in (
        (repealed, "repealed", dt.date(2016, 3, 1), "吉公发〔2016〕3号"),
        (amended, "amended", dt.date(2016, 4, 2), "关于修改有关规定的决定"),
    ):
        services.do_change_validity(
            record,
            validity=validity,
            on=on,
            document=document,
            reason="已被新文件废止或修改",
            actor=reviewer,
            expected_version=record.version,
        )

    detail = client.get(f"/api/v1/records/{repealed.index_number}").json()
    assert detail["validity"] == {"code": "repealed", "label": "已废止"}
    assert (detail["repealed_on"], detail["amended_on"], detail["validity_document"]) == (
        "2016-03-01",
        None,
        "吉公发〔2016〕3号",
    )
    items = {i["index_number"]: i for i in client.get("/api/v1/records").json()["items"]}
    assert (items[amended.index_number]["amended_on"], items[amended.index_number]["repealed_on"]) == (
        "2016-04-02",
        None,
    )
    assert items[amended.index_number]["validity_document"] == "关于修改有关规定的决定"
    # A record in force has the fields too (additive: every item has the same keys), empty.
    assert {
        k: items[in_force.index_number][k] for k in ("repealed_on", "amended_on", "validity_document")
    } == {
        "repealed_on": None,
        "amended_on": None,
        "validity_document": "",
    }
    hit = client.get("/api/v1/search", {"q": "护照"}).json()["items"][0]["record"]
    assert (hit["index_number"], hit["repealed_on"]) == (repealed.index_number, "2016-03-01")


def test_its_openapi_document_describes_the_validity_fields(client, db):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    record = schemas["RecordOut"]["properties"]
    for field in ("repealed_on", "amended_on"):
        types = {option.get("type") for option in record[field]["anyOf"]}
        formats = {option.get("format") for option in record[field]["anyOf"]}
        assert types == {"string", "null"} and "date" in formats
    assert record["validity_document"]["type"] == "string"
    assert {"repealed_on", "amended_on", "validity_document"} <= set(schemas["RecordOut"]["required"])


def test_it_keeps_chinese_unescaped(client, published):
    response = client.get(f"/api/v1/records/{published.index_number}")

    assert response["Content-Type"].startswith("application/json")
    assert "延吉口岸".encode() in response.content
    assert b"\\u" not in response.content


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_it_answers_404_for_unpublished_records(client, make_record, status):
    record = make_record(status)

    response = client.get(f"/api/v1/records/{record.index_number}")

    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["message"] and body["message_en"]
    assert record.name not in response.content.decode()


@pytest.mark.parametrize("index_number", ["013544308/2015-99999", "not-an-index", "a/b/c", "%00"])
def test_it_answers_404_for_unknown_index_numbers(client, db, index_number):
    response = client.get(f"/api/v1/records/{index_number}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_it_answers_410_with_the_notice_for_a_withdrawn_record(client, make_record):
    record = make_record("withdrawn")

    response = client.get(f"/api/v1/records/{record.index_number}")

    assert response.status_code == 410
    body = response.json()
    assert body["code"] == "withdrawn"
    assert body["withdrawal"]["reason"] == "已被新文件替代"
    assert body["withdrawal"]["index_number"] == record.index_number
    assert "body" not in body


def test_it_pages(client, make_record):
    for n in range(12):
        make_record("published", name=f"第{n}号通告")

    first = client.get("/api/v1/records", {"page_size": 5}).json()
    last = client.get("/api/v1/records", {"page_size": 5, "page": 3}).json()
    beyond = client.get("/api/v1/records", {"page_size": 5, "page": 4}).json()

    assert (first["count"], first["pages"], len(first["items"])) == (12, 3, 5)
    assert len(last["items"]) == 2
    assert beyond["items"] == []
    seen = {i["index_number"] for i in first["items"]} | {i["index_number"] for i in last["items"]}
    assert len(seen) == 7


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 101},
        {"page": 0},
        {"page": "x"},
        {"year": "二〇一五"},
        {"department": -1},
        {"category": "a b"},
    ],
)
def test_it_refuses_bad_parameters_with_a_clear_message(client, db, params):
    response = client.get("/api/v1/records", params)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_parameters"
    assert body["message"] == "请求参数有误。"
    assert body["message_en"]
    assert body["errors"][0]["location"]


def test_it_answers_400_for_an_unknown_category(client, db):
    response = client.get("/api/v1/records", {"category": "no-such-column"})

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_category"


def test_it_filters_by_category_year_and_department(client, make_record, departments):
    rules = make_record("published", name="规范性文件甲")
    other = make_record("published", name="其他文件乙", category=_category("policy-other"))
    old = make_record("published", name="旧通告丙", formed_on=dt.date(2014, 3, 3))
    traffic = make_record("published", name="交通通告丁")
    # The exit-entry editor cannot submit for traffic: move the finished record in the setup only.
    type(traffic).objects.filter(pk=traffic.pk).update(department=departments["traffic"])

    def names(**params):
        return {i["name"] for i in client.get("/api/v1/records", params).json()["items"]}

    assert names(category="policy-other") == {other.name}
    assert names(category="policy") == {rules.name, other.name, old.name, traffic.name}
    assert names(year=2014) == {old.name}
    assert names(department=departments["traffic"].pk) == {traffic.name}
    assert names(category="policy-rules", year=2015, department=departments["exit_entry"].pk) == {rules.name}


def test_it_searches_from_the_list(client, make_record):
    make_record("published", name="关于暂住证办理的通知", summary="暂住证")
    hit = make_record("published", name="护照加急办理须知", summary="出入境")

    data = client.get("/api/v1/records", {"q": "护照"}).json()

    assert [i["index_number"] for i in data["items"]] == [hit.index_number]


def test_it_searches_with_highlighted_snippets(client, make_record):
    make_record("draft", name="护照草稿")
    hit = make_record("published", name="护照加急办理须知", summary="因急事出国可申请加急办理护照。")

    response = client.get("/api/v1/search", {"q": "护照"})

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["record"]["index_number"] == hit.index_number
    assert "<mark>护照</mark>" in item["name_html"]


def test_it_requires_a_search_term(client, db):
    assert client.get("/api/v1/search").status_code == 422
    blank = client.get("/api/v1/search", {"q": "\x00 "})
    assert blank.status_code == 400
    assert blank.json()["code"] == "empty_query"


def test_it_lists_the_category_tree(client, published):
    tree = client.get("/api/v1/categories").json()

    policy = next(node for node in tree if node["code"] == "policy")
    assert [child["code"] for child in policy["children"]] == ["policy-rules", "policy-other"]
    assert policy["record_count"] == 1
    assert policy["children"][0]["record_count"] == 1


def test_it_lists_attachments_with_download_urls(client, editor, make_record, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = make_record("draft")
    attachment = services.do_add_attachment(
        record, services.UploadedFile("附件.png", PNG), actor=editor, expected_version=record.version
    )
    record = _publish(record)

    data = client.get(f"/api/v1/records/{record.index_number}").json()

    assert data["attachments"] == [
        {
            "id": attachment.pk,
            "name": "附件.png",
            "content_type": "image/png",
            "size": len(PNG),
            "url": f"/catalog/r/{record.index_number}/attachments/{attachment.pk}/",
        }
    ]


def test_it_publishes_its_openapi_document(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/v1/records",
        "/api/v1/records/{index_number}",
        "/api/v1/categories",
        "/api/v1/search",
    } <= set(paths)


def _category(code):
    from gongkai.catalog.models import Category

    return Category.objects.get(code=code)


def _publish(record):
    from gongkai.accounts.models import User

    editor = User.objects.get(username="editor")
    reviewer = User.objects.get(username="reviewer")
    record.refresh_from_db()
    record = services.do_submit_record(record, actor=editor, expected_version=record.version)
    record = services.do_approve_record(record, actor=reviewer, expected_version=record.version)
    return services.do_publish_record(record, actor=reviewer, expected_version=record.version)
