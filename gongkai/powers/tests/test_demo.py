"""The demo reproduces the seed's figures for 2015."""

from collections import Counter

import pytest

from gongkai.core.figures import Period


@pytest.mark.django_db
def test_it_reproduces_the_seed_reduction_figures():
    from gongkai.portal.demo import load_demo
    from gongkai.powers import stats
    from gongkai.powers.models import ItemVersion, PowerItem

    load_demo()
    f = {x.code: x.value for x in stats.figures(Period.year(2015))}
    assert f["powers.items.total"] == 79 and f["powers.items.categories"] == 9
    assert f["powers.responsibilities.categories"] == 7
    assert (f["powers.approvals.department.before"], f["powers.approvals.department.after"]) == (35, 7)
    assert str(f["powers.approvals.department.rate"]) == "80.0"
    assert (f["powers.approvals.province.before"], f["powers.approvals.province.after"]) == (171, 110)
    assert str(f["powers.approvals.province.rate"]) == "35.7"
    assert f["powers.guides.branches"] == 10
    # Every power item's form and the flowchart of each of its procedures: "共160余份".
    assert (f["powers.forms.power_list"], f["powers.flowcharts.power_list"]) == (79, 87)
    charts = Counter(
        ItemVersion.objects.filter(list_kind="powers", is_live=True).values_list(
            "flowcharts__procedure", flat=True
        )
    )
    assert charts == {"": 71, "一般程序": 8, "当场处罚": 6, "简易程序": 2}
    registration = PowerItem.objects.get(list_kind="powers", name="机动车登记")
    assert registration.sub_item_list()[:2] == ["注册登记", "变更登记"]


def test_its_power_list_names_79_distinct_powers_each_with_its_own_basis():
    from gongkai.powers.demo_powers import POWERS, SUB_ITEMS

    names = [name for _category, name, _dept, _basis in POWERS]
    assert len(names) == len(set(names)) == 79
    assert not [name for name in names if name.endswith("子项")]
    assert len({basis for *_rest, basis in POWERS}) >= 60
    assert all("第" in basis and "条" in basis for *_rest, basis in POWERS)
    assert set(SUB_ITEMS) <= set(names)


def test_each_category_with_a_responsibility_list_has_its_own():
    from gongkai.powers.choices import Stage
    from gongkai.powers.demo_powers import DUTIES_BY_CATEGORY

    assert set(DUTIES_BY_CATEGORY) == {
        "licensing",
        "penalty",
        "enforcement",
        "inspection",
        "confirmation",
        "reward",
        "other",
    }
    texts = {category: repr(rows) for category, rows in DUTIES_BY_CATEGORY.items()}
    assert len(set(texts.values())) == 7
    duties = {c: {row["duties"] for row in rows} for c, rows in DUTIES_BY_CATEGORY.items()}
    for a in duties:
        for b in duties:
            assert a == b or not duties[a] & duties[b], (a, b)
    stages = {c: [row["stage"] for row in rows] for c, rows in DUTIES_BY_CATEGORY.items()}
    assert all(stage in Stage.values for rows in stages.values() for stage in rows)
    # A penalty is opened, investigated, notified, decided, delivered and executed — not licensed.
    assert stages["penalty"] == ["accept", "examine", "other", "decide", "deliver", "execute"]
    penalty = {row["stage"]: row["duties"] for row in DUTIES_BY_CATEGORY["penalty"]}
    assert "立案" in penalty["accept"] and "调查取证" in penalty["examine"] and "告知" in penalty["other"]
    assert "准予" not in repr(DUTIES_BY_CATEGORY["penalty"])
