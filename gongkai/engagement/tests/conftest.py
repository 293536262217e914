import datetime as dt
from zoneinfo import ZoneInfo

import pytest

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BEIJING)


@pytest.fixture
def inquiry_data():
    return {
        "kind": "inquiry",
        "topic": "exit_entry",
        "title": "办理港澳通行证需要什么材料",
        "question": "请问在长春办理往来港澳通行证需要带哪些材料？多长时间能拿到？",
        "wants_public": True,
        "asker_name": "刘女士",
        "phone": "13904310000",
        "email": "",
    }


@pytest.fixture
def ask(inquiry_data):
    from gongkai.engagement import services

    def make(day=dt.date(2015, 6, 1), **overrides):
        inquiry, code = services.do_submit_inquiry({**inquiry_data, **overrides}, now=at(day))
        return inquiry, code

    return make


@pytest.fixture
def answered(ask, reviewer, editor, departments):
    """An inquiry routed to the exit-entry department and answered there (awaiting the office)."""
    from gongkai.engagement import services

    def make(day=dt.date(2015, 6, 1), answer_day=None, **overrides):
        inquiry, code = ask(day, **overrides)
        inquiry = services.do_route_inquiry(
            inquiry, departments["exit_entry"], actor=reviewer, version=inquiry.version, now=at(day, 11)
        )
        inquiry = services.do_answer_inquiry(
            inquiry,
            "携带居民身份证和户口簿到户籍所在地出入境接待大厅办理，7个工作日可领证。",
            actor=editor,
            version=inquiry.version,
            now=at(answer_day or day, 15),
        )
        return inquiry, code

    return make
