import datetime as dt

import pytest


@pytest.fixture
def passport_data(departments):
    return {
        "list_kind": "approvals",
        "category": "licensing",
        "code": "JL-CRJ-001",
        "name": "普通护照签发",
        "legal_basis": "《中华人民共和国护照法》第五条、第六条",
        "department": departments["exit_entry"],
        "level": "province",
        "conditions": "具有中华人民共和国国籍并定居在国内的中国公民。",
        "statutory_days": 15,
        "promised_days": 7,
        "fee": "每本120元",
        "fee_basis": "发改价格〔2013〕1494号",
        "place": "户籍所在地公安机关出入境管理部门",
        "hours": "工作日 8:30—16:30",
        "phone": "0431-82098251",
        "materials": [
            {"name": "居民身份证", "form": "both", "copies": 1, "note": ""},
            {"name": "近期免冠照片", "form": "original", "copies": 1, "note": ""},
        ],
        "steps": [
            {
                "number": 1,
                "name": "受理",
                "post": "受理窗口民警",
                "time_limit": "即时",
                "next_steps": "2",
                "basis": "《护照法》第五条",
            },
            {
                "number": 2,
                "name": "审核",
                "post": "审核岗",
                "time_limit": "5个工作日",
                "next_steps": "准予:3；不予:4",
                "basis": "",
            },
            {
                "number": 3,
                "name": "制证发证",
                "post": "制证中心",
                "time_limit": "2个工作日",
                "next_steps": "",
                "basis": "",
            },
            {
                "number": 4,
                "name": "书面告知不予签发理由",
                "post": "审核岗",
                "time_limit": "",
                "next_steps": "",
                "basis": "《护照法》第十三条",
            },
        ],
    }


@pytest.fixture
def make_item(editor):
    from gongkai.powers import services

    def make(data, *, set_on=dt.date(2004, 7, 1)):
        return services.do_create_item(data, set_on=set_on, set_document="吉政发〔2004〕1号", actor=editor)

    return make
