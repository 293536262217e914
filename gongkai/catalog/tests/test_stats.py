"""The catalog's period figures: each counts exactly the records it lists, and a year is Beijing's."""

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from gongkai.catalog import stats
from gongkai.catalog.choices import Channel, DisclosureAttribute, Status, Validity
from gongkai.catalog.models import Attachment, Category, Publication, Record
from gongkai.core.figures import Figure, Period

D = dt.date
BEIJING = ZoneInfo("Asia/Shanghai")
FORMED = D(2015, 3, 2)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BEIJING)


@pytest.fixture
def add_record(editor, departments):
    leaves = list(Category.objects.filter(parent__isnull=False).order_by("id"))
    counter = iter(range(1, 100_000))

    def add(
        *,
        published: dt.datetime | None = None,
        formed: dt.date = FORMED,
        due: dt.date | None = None,
        withdrawn: dt.datetime | None = None,
        attribute: str = DisclosureAttribute.PROACTIVE,
        category: Category | None = None,
        department: str = "exit_entry",
        created: dt.datetime | None = None,
    ) -> Record:
        n = next(counter)
        status = Status.WITHDRAWN if withdrawn else Status.PUBLISHED if published else Status.DRAFT
        created = created or at(formed.year, formed.month, formed.day)
        return Record.objects.create(
            index_number=f"013544308/2015-{n:05d}",
            name=f"测试信息{n}",
            formed_on=formed,
            issuer="吉林省公安厅",
            category=category or leaves[n % len(leaves)],
            department=departments[department],
            attribute=attribute,
            status=status,
            publish_due=due,
            published_at=published,
            withdrawn_at=withdrawn,
            created_by=editor,
            created_at=created,
            updated_at=created,
        )

    return add


@pytest.fixture
def catalog_demo(add_record, editor):
    """Three years of records, publications on every channel and attachments, seeded at random."""
    rng = random.Random(2015)
    for _ in range(160):
        formed = D(2014, 6, 1) + dt.timedelta(days=rng.randrange(900))
        published = None
        withdrawn = None
        if rng.random() < 0.7:
            published = at(formed.year, formed.month, formed.day) + dt.timedelta(
                days=rng.randrange(40), hours=rng.randrange(24), minutes=rng.randrange(60)
            )
            if rng.random() < 0.15:
                withdrawn = published + dt.timedelta(days=rng.randrange(200))
        record = add_record(
            formed=formed,
            published=published,
            withdrawn=withdrawn,
            due=formed + dt.timedelta(days=28) if rng.random() < 0.9 else None,
            attribute=rng.choice(DisclosureAttribute.values)
            if not published
            else DisclosureAttribute.PROACTIVE,
            department=rng.choice(["exit_entry", "traffic"]),
        )
        if published:
            for channel in rng.sample(Channel.values, rng.randrange(1, 4)):
                Publication.objects.create(
                    record=record,
                    channel=channel,
                    published_at=published + dt.timedelta(hours=rng.randrange(72)),
                    recorded_by=editor,
                )
        for n in range(rng.randrange(3)):
            Attachment.objects.create(
                record=record,
                file=f"attachments/{record.pk}-{n}.pdf",
                original_name=f"附件{n}.pdf",
                extension="pdf",
                content_type="application/pdf",
                size=1000,
                sha256="0" * 64,
                uploaded_by=editor,
                uploaded_at=record.created_at + dt.timedelta(hours=rng.randrange(100)),
            )


def by_code(items: list[Figure]) -> dict[str, Figure]:
    return {f.code: f for f in items}


PERIODS = [Period.year(2014), Period.year(2015), Period.year(2016), Period(D(2015, 3, 1), D(2015, 3, 31))]


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_it_counts_exactly_the_objects_each_figure_lists(catalog_demo, period):
    items = stats.figures(period)
    assert all(f.counts_objects for f in items)
    for item in items:
        assert item.objects is not None
        assert item.value == item.objects().count(), item.code
    published = by_code(stats.figures(Period.year(2015)))["catalog.records.published.total"].value
    assert published is not None and published > 20


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_the_parts_add_up_to_their_totals(catalog_demo, period):
    items = stats.figures(period)
    codes = by_code(items)

    def parts(section: str) -> int:
        return sum(f.value for f in items if f.section == section and not f.code.endswith(".total"))  # type: ignore[misc]

    assert codes["catalog.records.published.total"].value == parts("catalog.records.published.category")
    assert codes["catalog.publications.total"].value == parts("catalog.publications")
    assert codes["catalog.records.formed.total"].value == parts("catalog.records.formed")


def test_the_year_ends_at_midnight_in_beijing(add_record):
    last_evening = add_record(published=at(2015, 12, 31, 23, 30))
    # 00:10 on 1 January in Beijing is 16:10 on 31 December in UTC.
    first_morning = add_record(published=at(2016, 1, 1, 0, 10))
    y2015 = by_code(stats.figures(Period.year(2015)))["catalog.records.published.total"]
    y2016 = by_code(stats.figures(Period.year(2016)))["catalog.records.published.total"]
    assert y2015.value == 1 and y2016.value == 1
    assert list(y2015.objects()) == [last_evening]  # type: ignore[misc]
    assert list(y2016.objects()) == [first_morning]  # type: ignore[misc]


def test_a_record_withdrawn_later_still_counts_as_published_in_its_year(add_record):
    add_record(published=at(2015, 5, 4), withdrawn=at(2016, 2, 1))
    y2015 = by_code(stats.figures(Period.year(2015)))
    y2016 = by_code(stats.figures(Period.year(2016)))
    assert y2015["catalog.records.published.total"].value == 1
    assert y2015["catalog.records.withdrawn"].value == 0
    assert y2016["catalog.records.published.total"].value == 0
    assert y2016["catalog.records.withdrawn"].value == 1


def test_it_counts_records_published_after_their_limit_by_the_beijing_date(add_record):
    on_the_last_day = add_record(due=D(2015, 3, 2), published=at(2015, 3, 2, 23, 50))
    a_day_late = add_record(due=D(2015, 3, 2), published=at(2015, 3, 3, 0, 5))
    add_record(due=None, published=at(2015, 9, 1))  # no limit computed: never counted late
    late = by_code(stats.figures(Period.year(2015)))["catalog.records.published_late"]
    assert late.value == 1
    assert list(late.objects()) == [a_day_late]  # type: ignore[misc]
    assert on_the_last_day not in late.objects()  # type: ignore[misc]


def test_it_counts_formed_records_by_disclosure_attribute(add_record):
    add_record(formed=D(2015, 1, 5), attribute=DisclosureAttribute.PROACTIVE)
    add_record(formed=D(2015, 7, 1), attribute=DisclosureAttribute.ON_REQUEST)
    add_record(formed=D(2015, 12, 31), attribute=DisclosureAttribute.WITHHELD)
    add_record(formed=D(2016, 1, 1), attribute=DisclosureAttribute.WITHHELD)
    codes = by_code(stats.figures(Period.year(2015)))
    assert [codes[f"catalog.records.formed.{a}"].value for a in DisclosureAttribute.values] == [1, 1, 1]
    assert codes["catalog.records.formed.total"].value == 3


def test_it_counts_a_top_level_column_with_all_its_leaves(add_record):
    policy = Category.objects.get(code="policy")
    for leaf in policy.children.all():
        add_record(published=at(2015, 4, 1), category=leaf)
    codes = by_code(stats.figures(Period.year(2015)))
    assert codes["catalog.records.published.category.policy"].value == policy.children.count() >= 2
    assert codes["catalog.records.published.category.policy"].label_en == (
        "Government information published: Policy documents"
    )


def test_it_counts_only_the_records_it_is_given(add_record, departments):
    mine = add_record(published=at(2015, 4, 1), department="exit_entry")
    add_record(published=at(2015, 4, 2), department="traffic")
    scope = Record.objects.filter(department=departments["exit_entry"])
    scoped = by_code(stats.figures(Period.year(2015), records=scope))
    assert scoped["catalog.records.published.total"].value == 1
    assert list(scoped["catalog.records.published.total"].objects()) == [mine]  # type: ignore[misc]
    assert by_code(stats.figures(Period.year(2015)))["catalog.records.published.total"].value == 2


def test_the_codes_are_stable(db):
    codes = [f.code for f in stats.figures(Period.year(2015))]
    assert codes[0] == "catalog.records.published.total"
    assert [c for c in codes if c.startswith("catalog.publications.")] == [
        "catalog.publications.total",
        *(f"catalog.publications.{c}" for c in Channel.values),
    ]
    assert {
        "catalog.records.formed.total",
        "catalog.records.formed.proactive",
        "catalog.records.formed.on_request",
        "catalog.records.formed.withheld",
        "catalog.records.created",
        "catalog.records.withdrawn",
        "catalog.records.published_late",
        "catalog.attachments.uploaded",
    } <= set(codes)
    top = Category.objects.filter(parent__isnull=True, is_active=True).values_list("code", flat=True)
    assert {f"catalog.records.published.category.{c}" for c in top} <= set(codes)


def test_the_late_figure_converts_timestamps_only_in_a_zone_with_daylight_saving(db, settings):
    from gongkai.catalog.stats import _fixed_offset_hours, _late_q

    assert _fixed_offset_hours() == 8
    assert "published_at__gte" in str(_late_q())
    settings.TIME_ZONE = "Europe/Berlin"
    with pytest.raises(NotImplementedError):
        _fixed_offset_hours()
    if connection.vendor == "sqlite":
        assert "published_at__date__gt" in str(_late_q())


def _normative(
    add_record, *, formed: dt.date, validity: str = Validity.IN_FORCE, repealed=None, **kw
) -> Record:
    record: Record = add_record(formed=formed, category=Category.objects.get(code="policy-rules"), **kw)
    Record.objects.filter(pk=record.pk).update(validity=validity, repealed_on=repealed)
    record.refresh_from_db()
    return record


def _table_2(period: Period) -> dict[str, Figure]:
    return {f.code: f for f in stats.figures(period) if f.code.startswith("catalog.table2.")}


def test_table_2_counts_the_normative_documents_made_repealed_and_in_force(add_record):
    published = at(2015, 12, 20)
    older = _normative(add_record, formed=D(2013, 5, 1), published=at(2013, 5, 3))
    made = _normative(add_record, formed=D(2015, 3, 1), published=at(2015, 3, 4))
    amended = _normative(add_record, formed=D(2015, 6, 1), validity=Validity.AMENDED, published=published)
    repealed_2015 = _normative(
        add_record,
        formed=D(2012, 1, 9),
        validity=Validity.REPEALED,
        repealed=D(2015, 8, 1),
        published=published,
    )
    repealed_later = _normative(
        add_record,
        formed=D(2014, 1, 9),
        validity=Validity.REPEALED,
        repealed=D(2016, 2, 1),
        published=published,
    )
    made_and_repealed = _normative(
        add_record,
        formed=D(2015, 2, 1),
        validity=Validity.REPEALED,
        repealed=D(2015, 11, 30),
        published=published,
    )
    _normative(add_record, formed=D(2016, 1, 4), published=at(2016, 1, 5))  # made the next year
    _normative(add_record, formed=D(2015, 4, 1))  # a draft: the public does not see it
    _normative(add_record, formed=D(2015, 4, 2), published=at(2015, 4, 3), withdrawn=at(2015, 5, 1))
    _normative(
        add_record, formed=D(2015, 4, 2), validity=Validity.REPEALED, repealed=D(2015, 6, 1)
    )  # a draft
    add_record(
        formed=D(2015, 4, 1), published=at(2015, 4, 3), category=Category.objects.get(code="policy-other")
    )

    figures = _table_2(Period.year(2015))
    assert set(figures) == {f"catalog.table2.{row}.c{n}" for row in ("rules", "normative") for n in (1, 2, 3)}

    def counted(code: str) -> set[Record]:
        item = figures[code]
        assert item.objects is not None and item.value == item.objects().count(), code
        return set(item.objects())

    assert counted("catalog.table2.normative.c1") == {made, amended, made_and_repealed}
    assert counted("catalog.table2.normative.c2") == {repealed_2015, made_and_repealed}
    # In force on 31 December 2015: 有效 or 已修改, or repealed only after the year.
    assert counted("catalog.table2.normative.c3") == {older, made, amended, repealed_later}
    # The department's catalog has no column of 规章: none counted.
    assert [figures[f"catalog.table2.rules.c{n}"].value for n in (1, 2, 3)] == [0, 0, 0]
    assert figures["catalog.table2.normative.c2"].label_zh == "本期废止的行政规范性文件"
    assert figures["catalog.table2.normative.c3"].label_zh == "期末现行有效的行政规范性文件"

    y2016 = _table_2(Period.year(2016))
    assert [y2016[f"catalog.table2.normative.c{n}"].value for n in (1, 2, 3)] == [1, 1, 4]


def test_table_2_reads_its_columns_from_the_setting(add_record, settings):
    rules = Category.objects.get(code="policy-other")
    _normative(add_record, formed=D(2015, 3, 1), published=at(2015, 3, 4))
    add_record(formed=D(2015, 3, 1), published=at(2015, 3, 4), category=rules)
    settings.CATALOG_TABLE_2_COLUMNS = {"rules": ("policy-other",)}
    figures = _table_2(Period.year(2015))
    # A column listed counts in its row; a row left out is not counted (the office enters it).
    assert set(figures) == {"catalog.table2.rules.c1", "catalog.table2.rules.c2", "catalog.table2.rules.c3"}
    assert figures["catalog.table2.rules.c1"].value == 1
    # A top-level column counts with its leaves.
    settings.CATALOG_TABLE_2_COLUMNS = {"normative": ("policy",)}
    assert _table_2(Period.year(2015))["catalog.table2.normative.c1"].value == 2
