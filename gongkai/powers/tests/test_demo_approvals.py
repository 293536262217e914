"""The demo's 171 approval items are distinct real items of the province's public security organs,
each with its own basis and guide; the guide figures count published guides only."""

import datetime as dt
import re
from collections import Counter

from gongkai.core.figures import Period
from gongkai.powers import services, stats
from gongkai.powers.demo_approvals import CANCELLED, CITY, COUNTY, DELEGATED, KEPT, PROVINCE, approvals

NUMBERED = re.compile(r"第[0-9一二三四五六七八九十百]+项")


def test_it_has_171_distinct_items_with_the_seed_fates():
    items = approvals()
    assert len(items) == len({(a.name, a.level) for a in items}) == 171
    department = [a for a in items if a.level == PROVINCE]
    local = [a for a in items if a.level != PROVINCE]
    assert (len(department), Counter(a.fate for a in department)[KEPT]) == (35, 7)
    assert (len(local), Counter(a.fate for a in local)[KEPT]) == (136, 103)
    assert {a.fate for a in items} == {KEPT, CANCELLED, DELEGATED}
    # Nothing is delegated below the counties; the department's kept items come first.
    assert not [a for a in items if a.level == COUNTY and a.fate == DELEGATED]
    assert [a.fate for a in items[:7]] == [KEPT] * 7 and items[0].name == "普通护照签发"
    assert {a.to_level for a in items if a.fate == DELEGATED} == {CITY, COUNTY}


def test_no_item_is_a_numbered_placeholder_and_each_cites_its_own_articles():
    items = approvals()
    assert not [a.name for a in items if NUMBERED.search(a.name)]
    assert len({a.basis for a in items}) >= 100
    assert all(re.search(r"《[^》]+》.*第[一二三四五六七八九十百]+条", a.basis) for a in items)
    assert "《中华人民共和国行政许可法》第十二条" not in {a.basis for a in items}


def test_the_kept_items_span_ten_police_branches_without_the_legal_department():
    kept = {a.branch.name for a in approvals() if a.fate == KEPT}
    assert len(kept) == 10 and "法制总队" not in kept
    phones = {a.branch.name: a.branch.phone for a in approvals()}
    assert len(set(phones.values())) == len(phones) == 10


def test_guides_and_materials_fit_their_items():
    items = approvals()
    passport = items[0].materials
    assert sum(a.materials == passport for a in items) < 10
    assert len({tuple(m["name"] for m in a.materials) for a in items}) >= 100
    hotel = next(a for a in items if a.name == "旅馆业特种行业许可证核发")
    assert {"营业执照", "房屋产权证明或租赁合同"} <= {m["name"] for m in hotel.materials}
    assert any("消防安全检查合格" in m["name"] for m in hotel.materials) and hotel.fee == "不收费"
    assert all(a.faqs for a in items if a.level == PROVINCE and a.fate == KEPT)
    assert len({a.conditions for a in items}) >= 100
    assert all(a.promised_days <= a.statutory_days for a in items)


def test_the_guide_figures_count_published_guides_only(make_item, passport_data, editor, reviewer):
    published = make_item(passport_data)
    published = services.do_submit_item(published, actor=editor, expected_version=published.version)
    services.do_approve_item(published, actor=reviewer, expected_version=published.version)
    edition = services.do_propose_edition("approvals", title="通告", actor=editor)
    services.do_publish_edition(edition, actor=reviewer, expected_version=edition.version)
    make_item({**passport_data, "code": "JL-CRJ-DRAFT"})  # its guide is written, never published

    def guides(year):
        f = {x.code: x.value for x in stats.figures(Period.year(year))}
        return f["powers.guides.total"], f["powers.guides.branches"]

    assert guides(dt.date.today().year) == (1, 1)
    assert guides(2010) == (0, 0)  # in force since 2004, published only now
