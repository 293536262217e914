"""The demo reproduces the seed's figures for 2015."""

from collections import Counter

import pytest

from gongkai.core.figures import Period


@pytest.mark.django_db
def test_it_reproduces_the_seed_reduction_figures():
    from gongkai.portal.demo import load_demo
    from gongkai.powers import stats
    from gongkai.powers.models import ItemVersion

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
    assert charts == {"": 71, "一般程序": 8, "当场处罚": 4, "简易程序": 4}
