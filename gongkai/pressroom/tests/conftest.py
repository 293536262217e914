import datetime as dt

import pytest


@pytest.fixture
def conference_data(departments):
    return {
        "title": "延吉口岸签证业务启动新闻发布会",
        "held_on": dt.date(2015, 3, 18),
        "host": "agency",
        "venue": "省公安厅新闻发布厅",
        "topics": "延吉口岸签证业务启动\n口岸签证办理条件",
        "department": departments["exit_entry"],
        "speakers": [
            {"name": "金明", "post": "副局长", "organisation": "出入境管理局"},
            {"name": "李华", "post": "处长", "organisation": "延吉边防检查站"},
        ],
    }


@pytest.fixture
def make_conference(editor, conference_data):
    from gongkai.pressroom import services

    def make(**overrides):
        return services.do_create_conference({**conference_data, **overrides}, actor=editor)

    return make


@pytest.fixture
def policy(make_record):
    return make_record("published")


@pytest.fixture
def interpretation_data(departments, policy):
    return {
        "title": "《关于延吉口岸签证业务启动的通告》解读",
        "form": "text",
        "policy": policy.index_number,
        "body": "一、为什么启动口岸签证业务\n二、谁可以申请",
        "department": departments["exit_entry"],
    }


CSV = (
    "发言人,提问人,问题,回答\n"
    "金明,,,各位记者朋友，大家上午好。\n"
    "金明,新华社记者,口岸签证向哪些人开放？,向因紧急事由来华的外国人开放。\n"
    "李华,吉林日报记者,通关需要多长时间？,一般不超过30分钟。\n"
)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Each test sees the pages as they are now, not as an earlier test left them in the cache."""
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture
def second_reviewer(departments):
    """Another reviewer of the office: the second person of four eyes."""
    from gongkai.accounts.services import do_create_staff

    return do_create_staff(
        username="second_reviewer",
        password="x-test-password",
        full_name="周审核",
        department=departments["office"],
        roles=["reviewer"],
        actor=None,
    )
