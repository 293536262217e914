"""A published normative document repealed or amended by a later document: the office reviewer
marks it so on the published record (变更有效性); it stays published, its public page says so at
the top, and annual report table 二 counts the repeal in its year."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gongkai.catalog import services, stats
from gongkai.catalog.choices import Status, Validity
from gongkai.catalog.models import Record, RecordTransition
from gongkai.core import acts
from gongkai.core.figures import Period
from gongkai.core.models import AuditEvent, OutboxEvent

BEIJING = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2016, 3, 10)
REPEALED_ON = dt.date(2016, 3, 1)
DOCUMENT = "吉公发〔2016〕3号"


@pytest.fixture(autouse=True)
def _in_march_2016(time_machine, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    time_machine.move_to(dt.datetime(2016, 3, 10, 10, tzinfo=BEIJING), tick=False)


@pytest.fixture
def published(make_record):
    return make_record("published")


def _repeal(record, actor, **overrides):
    values = {
        "validity": Validity.REPEALED,
        "on": REPEALED_ON,
        "document": DOCUMENT,
        "reason": "已被新文件废止",
        "expected_version": record.version,
        **overrides,
    }
    return services.do_change_validity(record, actor=actor, **values)


def _events(record, code="catalog.record.validity_changed"):
    return AuditEvent.objects.filter(object_type="catalog.record", object_id=str(record.pk), action=code)


def test_it_marks_a_published_record_repealed_and_it_stays_published(published, reviewer):
    record = _repeal(published, reviewer)

    record = Record.objects.get(pk=published.pk)
    assert record.status == Status.PUBLISHED
    assert (record.validity, record.repealed_on, record.validity_document) == (
        Validity.REPEALED,
        REPEALED_ON,
        DOCUMENT,
    )
    assert record.version == published.version + 1
    last = RecordTransition.objects.filter(record=record).last()
    assert last is not None
    assert (last.from_status, last.to_status, last.reason, last.actor) == (
        Status.PUBLISHED,
        Status.PUBLISHED,
        "已被新文件废止",
        reviewer,
    )
    event = _events(record).get()
    assert event.act_on == REPEALED_ON
    assert event.after["validity"] == Validity.REPEALED and event.before["validity"] == Validity.IN_FORCE
    assert OutboxEvent.objects.filter(
        code="catalog.record.validity_changed", object_id=str(record.pk)
    ).exists()


def test_the_public_page_says_at_the_top_that_it_was_repealed_when_and_by_what(client, published, reviewer):
    _repeal(published, reviewer)
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    notice = page.index("本文件已废止，不再执行")
    assert page.index('id="record-title"') < notice < page.index("meta-table")
    assert "废止日期：2016-03-01" in page and f"废止文件：{DOCUMENT}" in page


def test_an_amended_record_says_so_and_by_what(client, published, reviewer):
    _repeal(published, reviewer, validity=Validity.AMENDED, document="吉公发〔2016〕4号")
    record = Record.objects.get(pk=published.pk)
    assert (record.amended_on, record.repealed_on) == (REPEALED_ON, None)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "本文件已被修改，请以修改后的规定为准。" in page
    assert "修改日期：2016-03-01" in page and "修改文件：吉公发〔2016〕4号" in page


def test_table_2_counts_the_repeal_in_its_year_and_not_in_force_at_its_end(published, reviewer):
    _repeal(published, reviewer)

    def counted(year: int) -> dict[str, set[int]]:
        return {
            f.code.rsplit(".", 1)[1]: {r.pk for r in f.objects()}
            for f in stats.table_2(Period.year(year))
            if f.code.startswith("catalog.table2.normative.") and f.objects is not None
        }

    in_2016, in_2015 = counted(2016), counted(2015)
    assert published.pk in in_2016["c2"] and published.pk not in in_2016["c3"]
    # Formed in 2015 and repealed only in 2016: in force at the end of 2015, no repeal of 2015.
    assert published.pk in in_2015["c3"] and published.pk not in in_2015["c2"]


@pytest.mark.parametrize("who", ["editor", "other_editor", "leader", "auditor"])
def test_only_the_office_reviewer_may_change_it(request, published, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(acts.PermissionDeniedError):
        _repeal(published, actor)
    record = Record.objects.get(pk=published.pk)
    assert (record.validity, record.version) == (Validity.IN_FORCE, published.version)
    assert not _events(record).exists()


def test_a_draft_cannot_be_marked_so_by_this_move(make_record, reviewer):
    draft = make_record()
    with pytest.raises(acts.TransitionError):
        _repeal(draft, reviewer)


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (dt.date(2016, 3, 11), "生效日期不能晚于今天（2016-03-10）"),
        (dt.date(2015, 5, 31), "生效日期不能早于该信息的成文日期（2015-06-01）"),
    ],
)
def test_a_day_in_the_future_or_before_the_record_was_formed_is_refused(published, reviewer, on, message):
    with pytest.raises(acts.DateError, match=message):
        _repeal(published, reviewer, on=on)
    assert Record.objects.get(pk=published.pk).version == published.version


def test_the_document_and_the_reason_are_required(published, reviewer):
    with pytest.raises(services.CatalogError, match="请填写废止或修改该信息的文件"):
        _repeal(published, reviewer, document="  ")
    with pytest.raises(services.CatalogError, match="须说明原因"):
        _repeal(published, reviewer, reason="")
    assert not _events(published).exists()


def test_a_stale_version_changes_nothing(published, reviewer):
    with pytest.raises(acts.ConflictError):
        _repeal(published, reviewer, expected_version=published.version - 1)
    assert Record.objects.get(pk=published.pk).validity == Validity.IN_FORCE


def test_the_day_defaults_to_today(published, reviewer):
    record = _repeal(published, reviewer, on=None)
    assert record.repealed_on == TODAY


def test_a_mistaken_marking_is_undone_and_a_move_that_changes_nothing_is_refused(published, reviewer):
    record = _repeal(published, reviewer)
    with pytest.raises(services.CatalogError, match="无需变更"):
        _repeal(record, reviewer)
    record = services.do_change_validity(
        record,
        validity=Validity.IN_FORCE,
        document="",
        reason="误标为已废止",
        actor=reviewer,
        expected_version=record.version,
    )
    record = Record.objects.get(pk=published.pk)
    assert (record.validity, record.repealed_on, record.validity_document) == (Validity.IN_FORCE, None, "")
    assert _events(record).count() == 2


# -- the staff record page ------------------------------------------------------------------------


def _url(record):
    return f"/workbench/records/{record.pk}/validity/"


def test_the_page_offers_the_form_only_to_whom_the_service_allows(client, published, reviewer, editor):
    client.force_login(reviewer)
    assert _url(published) in client.get(f"/workbench/records/{published.pk}/").content.decode()
    client.force_login(editor)
    assert _url(published) not in client.get(f"/workbench/records/{published.pk}/").content.decode()


def test_the_form_repeals_it(client, published, reviewer):
    client.force_login(reviewer)
    response = client.post(
        _url(published),
        {
            "version": published.version,
            "validity": "repealed",
            "on": "2016-03-01",
            "document": DOCUMENT,
            "reason": "已被新文件废止",
        },
    )
    assert response.status_code == 302
    assert Record.objects.get(pk=published.pk).repealed_on == REPEALED_ON
    page = client.get(response["Location"]).content.decode()
    # The timeline says it in words, with the reason.
    assert "变更有效性 — 已被新文件废止" in page and f"废止或修改文件：{DOCUMENT}" in page


def test_a_refused_form_says_why_and_keeps_what_was_typed(client, published, reviewer):
    client.force_login(reviewer)
    response = client.post(
        _url(published),
        {
            "version": published.version,
            "validity": "repealed",
            "on": "2015-05-01",
            "document": DOCUMENT,
            "reason": "已被新文件废止",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "生效日期不能早于该信息的成文日期（2015-06-01）" in page
    assert (
        'value="2015-05-01"' in page and f'value="{DOCUMENT}"' in page and "已被新文件废止</textarea>" in page
    )
    assert '<details id="change-validity" open>' in page
    assert Record.objects.get(pk=published.pk).version == published.version
    # The document is asked for when the record is repealed or amended.
    response = client.post(
        _url(published),
        {"version": published.version, "validity": "amended", "on": "", "document": "", "reason": "修改"},
    )
    assert "请填写废止或修改该信息的文件（文号或标题）。" in response.content.decode()
