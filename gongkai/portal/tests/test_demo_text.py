"""The demo's words (issue 13): a record's genre is what its title says, its body fits its kind and
topic. Pure functions: no demo load."""

import datetime as dt

import pytest

from gongkai.catalog.choices import Genre
from gongkai.portal import demo_text
from gongkai.portal.demo import AGENCY, DEPARTMENTS, SEED_ITEMS

DAY = dt.date(2015, 6, 1)


def _bulk():
    for code, templates in demo_text.TITLES.items():
        for index in range(len(templates)):
            for draw in range(34):
                for department, *_ in DEPARTMENTS[:: max(1, draw % 5)]:
                    yield (
                        code,
                        demo_text.write_record(
                            code,
                            index,
                            draw,
                            department=department,
                            formed_on=DAY,
                            agency=AGENCY,
                            key=f"{draw}",
                        ),
                    )


BULK = list(_bulk())


def test_interpretation_only_for_interpretation_titles():
    for _code, written in BULK:
        is_interpretation = any(m in written.name for m in ("解读", "答记者问", "图解"))
        assert (written.genre == Genre.INTERPRETATION) == is_interpretation, written.name
    assert demo_text.genre_of("吉林省养犬管理办法") == Genre.MEASURE
    assert demo_text.genre_of("《吉林省养犬管理办法》政策解读") == Genre.INTERPRETATION
    assert demo_text.genre_of("关于公示吉林省公安厅责任清单的通告") == Genre.CIRCULAR
    assert demo_text.genre_of("警方提示：谨防冒充公检法诈骗") == Genre.NEWS


@pytest.mark.parametrize(("name", "genre"), [(item[2], item[4]) for item in SEED_ITEMS])
def test_the_seed_items_genre_is_their_titles(name, genre):
    assert demo_text.genre_of(name) == genre


def test_no_service_hall_advice_in_the_annual_report():
    report = next(item for item in SEED_ITEMS if item[0] == "annual-reports")
    body = demo_text.write_body(
        report[2],
        subject=report[2],
        topic="policing",
        department=report[1],
        formed_on=DAY,
        agency=AGENCY,
        key="r",
    )
    assert "户口簿" not in body and "政府信息公开" in body


def test_each_body_names_its_subject_or_topic_and_reads_as_its_kind():
    for _code, written in BULK:
        topic = demo_text.TOPICS[written.topic]
        assert written.subject in written.body or topic.field in written.body, written.name
        assert "{" not in written.body and "户口簿" not in written.body
    by_kind = {demo_text.kind_of(w.name)[0]: w for _c, w in BULK}
    assert "110报警" in by_kind["alert"].body
    assert "特此通告" in demo_text.write_body(
        "关于调整出入境证件受理时间的通告",
        subject="出入境证件受理时间",
        topic="exit-entry",
        department="出入境管理局",
        formed_on=DAY,
        agency=AGENCY,
        key="c",
    )
    assert "第一条" in by_kind["measure"].body
    assert "办理地点" in by_kind["guide"].body


def test_bodies_are_deterministic():
    first = demo_text.write_record("news", 0, 3, department="办公室", formed_on=DAY, agency=AGENCY, key="k")
    again = demo_text.write_record("news", 0, 3, department="办公室", formed_on=DAY, agency=AGENCY, key="k")
    assert first == again


def test_a_travel_alert_speaks_of_its_dates_season_and_a_department_of_its_own_field():
    december = demo_text.write_record(
        "alerts", 1, 0, department="交通警察总队", formed_on=dt.date(2015, 12, 14), agency=AGENCY, key="a"
    )
    assert december.name == "警方提示：冰雪天气期间注意出行安全" and "122" in december.body
    duties = demo_text.write_record(
        "org-functions", 0, 0, department="法制总队", formed_on=DAY, agency=AGENCY, key="d"
    )
    assert duties.name == "法制总队主要职责" and "公安法制" in duties.body
