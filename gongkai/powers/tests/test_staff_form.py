"""The workbench form edits an item's responsibility list and an approval item's frequent
questions; a bad line is refused with its number and everything typed is shown again."""


def _post(item, **extra):
    return {
        "category": item.category,
        "code": item.code,
        "name": item.name,
        "sub_items": "",
        "legal_basis": item.legal_basis,
        "level": item.level,
        "list_kind": item.list_kind,
        "department": item.department_id,
        "version": item.version,
        "conditions": "中国公民。",
        "statutory_days": "15",
        "promised_days": "7",
        "materials": "居民身份证|原件及复印件|1|",
        "steps": "1|受理|窗口|即时|",
        **extra,
    }


def test_the_form_saves_responsibilities_and_faqs(client, editor, make_item, passport_data):
    item = make_item(passport_data)
    client.force_login(editor)
    lines = "受理|审查申请材料是否齐全|材料齐全的予以受理||||\n决定|作出是否签发的决定||||违法签发的追究责任"
    response = client.post(
        f"/workbench/powers/{item.pk}/edit/",
        _post(item, responsibilities=lines, faqs="护照丢了怎么办？|先到派出所挂失。"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    duties = list(item.responsibilities.values_list("stage", "duties", "accountability"))
    assert duties == [
        ("accept", "审查申请材料是否齐全", ""),
        ("decide", "作出是否签发的决定", "违法签发的追究责任"),
    ]
    assert item.guide.faqs == [{"question": "护照丢了怎么办？", "answer": "先到派出所挂失。"}]
    page = client.get(f"/workbench/powers/{item.pk}/edit/").content.decode()
    assert "受理|审查申请材料是否齐全" in page and "护照丢了怎么办？|先到派出所挂失。" in page


def test_a_bad_responsibility_line_is_refused_and_what_was_typed_is_kept(
    client, editor, make_item, passport_data
):
    item = make_item(passport_data)
    client.force_login(editor)
    response = client.post(
        f"/workbench/powers/{item.pk}/edit/",
        _post(item, responsibilities="开会|研究决定", faqs="只有问题没有答复"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "常见问题每行应为“问题|答复”。" in page and "开会|研究决定" in page
    response = client.post(
        f"/workbench/powers/{item.pk}/edit/", _post(item, responsibilities="开会|研究决定")
    )
    assert response.status_code == 400 and "第 1 条责任事项的环节无法识别。" in response.content.decode()
    item.refresh_from_db()
    assert not item.responsibilities.exists()


def test_a_stage_is_read_in_chinese_in_english_or_by_its_code_whatever_the_page_language(
    client, editor, make_item, passport_data
):
    item = make_item(passport_data)
    client.force_login(editor)
    client.post("/preferences/", {"language": "en", "next": "/"})
    lines = "受理|甲\nDecision|乙\nexamine|丙\nfollow-up supervision|丁"
    response = client.post(f"/workbench/powers/{item.pk}/edit/", _post(item, responsibilities=lines))
    assert response.status_code == 302, response.content.decode()[:2000]
    stages = list(item.responsibilities.order_by("pk").values_list("stage", flat=True))
    assert stages == ["accept", "decide", "examine", "supervise"]


def test_odd_digits_in_numbers_are_refused_in_words_not_a_500(client, editor, make_item, passport_data):
    item = make_item(passport_data)
    client.force_login(editor)
    for extra in (
        {"statutory_days": "²"},
        {"materials": "身份证|原件|²|"},
        {"steps": "9" * 30 + "|受理|窗口|即时|"},
    ):
        response = client.post(f"/workbench/powers/{item.pk}/edit/", _post(item, **extra))
        assert response.status_code != 500, extra  # read as its digit (NFKC) or refused in words


def test_a_bad_online_address_is_refused_with_the_field_named_and_what_was_typed_is_kept(
    client, editor, make_item, passport_data
):
    item = make_item(passport_data)
    client.force_login(editor)
    response = client.post(
        f"/workbench/powers/{item.pk}/edit/",
        _post(item, online_url="办事大厅网站", conditions="我刚改写的办理条件。"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "服务指南有误" in body and "网上办理" in body
    assert "我刚改写的办理条件。" in body  # nothing typed is lost
    item.refresh_from_db()
    assert item.guide.online_url == passport_data.get("online_url", item.guide.online_url)
