"""The demo reproduces the seed's figures for 2015."""

import pytest

from gongkai.core.figures import Period


@pytest.mark.django_db
def test_it_reproduces_the_seed_reduction_figures():
    from gongkai.portal.demo import load_demo
    from gongkai.powers import stats

    load_demo()
    f = {x.code: x.value for x in stats.figures(Period.year(2015))}
    assert f["powers.items.total"] == 79 and f["powers.items.categories"] == 9
    assert f["powers.responsibilities.categories"] == 7
    assert (f["powers.approvals.department.before"], f["powers.approvals.department.after"]) == (35, 7)
    assert str(f["powers.approvals.department.rate"]) == "80.0"
    assert (f["powers.approvals.province.before"], f["powers.approvals.province.after"]) == (171, 110)
    assert str(f["powers.approvals.province.rate"]) == "35.7"
    assert f["powers.guides.branches"] == 10
