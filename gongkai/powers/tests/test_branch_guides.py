"""The service guides each police branch has published, one period figure per branch."""

import datetime as dt

from gongkai.core import figures as contract
from gongkai.core.figures import Period
from gongkai.powers import services, stats


def _publish(editor, reviewer, items):
    for item in items:
        by = item.created_by
        item = services.do_submit_item(item, actor=by, expected_version=item.version)
        services.do_approve_item(item, actor=reviewer, expected_version=item.version)
    edition = services.do_propose_edition("approvals", title="通告", actor=editor)
    services.do_publish_edition(edition, actor=reviewer, expected_version=edition.version)


def _branch_figures(period):
    return {f.code: f for f in stats.figures(period) if f.code.startswith("powers.guides.branch.")}


def _traffic_item(data, code, actor):
    return services.do_create_item(
        {**data, "code": code, "department": actor.department},
        set_on=dt.date(2004, 7, 1),
        set_document="吉政发〔2004〕1号",
        actor=actor,
    )


def test_it_counts_the_published_guides_of_each_branch(
    make_item, passport_data, departments, editor, other_editor, reviewer
):
    exit_entry, traffic = departments["exit_entry"], departments["traffic"]
    published = [make_item({**passport_data, "code": f"CRJ-{n}"}) for n in range(2)]
    published.append(_traffic_item(passport_data, "JT-1", other_editor))
    _publish(editor, reviewer, published)
    _traffic_item(passport_data, "JT-DRAFT", other_editor)  # never published

    this_year = Period.year(dt.date.today().year)
    by_code = _branch_figures(this_year)
    assert set(by_code) == {f"powers.guides.branch.{exit_entry.pk}", f"powers.guides.branch.{traffic.pk}"}
    mine = by_code[f"powers.guides.branch.{exit_entry.pk}"]
    assert (mine.label_zh, mine.value, mine.section) == ("出入境管理局", 2, "powers.guides.branch")
    assert mine.objects is not None and mine.objects().count() == 2
    assert by_code[f"powers.guides.branch.{traffic.pk}"].value == 1
    assert contract.CODE_PATTERN.match(mine.code)


def test_it_leaves_out_a_branch_before_its_guides_were_published(make_item, passport_data, editor, reviewer):
    _publish(editor, reviewer, [make_item(passport_data)])
    assert _branch_figures(Period.year(2010)) == {}


def test_it_drops_a_guide_once_its_item_is_cancelled(make_item, passport_data, departments, editor, reviewer):
    item = make_item(passport_data)
    _publish(editor, reviewer, [item])
    item.refresh_from_db()
    services.do_cancel_item(
        item, on=dt.date.today(), document="吉政发〔2026〕1号", actor=reviewer, expected_version=item.version
    )
    assert _branch_figures(Period.year(dt.date.today().year)) == {}
