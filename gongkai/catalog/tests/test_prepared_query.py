"""The record page's prepared query uses Django's private compiler API (queries.PreparedQuery):
these tests fail loudly, naming what changed, when a Django upgrade changes it — and compare its
SQL and its objects with the ORM's for records of every kind, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import inspect

import django
import pytest
from django.db import connection
from django.db.models import Model
from django.db.models import query as django_query
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from gongkai.catalog import queries
from gongkai.catalog.models import Attachment, Category

pytestmark = pytest.mark.django_db

UPGRADE_HINT = (
    f"Django {django.get_version()} changed a private API that catalog/queries.PreparedQuery relies on: "
)


def test_the_private_compiler_api_it_relies_on_is_still_there():
    missing = [
        name
        for name in ("as_sql", "get_converters", "apply_converters", "setup_query", "pre_sql_setup")
        if not callable(getattr(SQLCompiler, name, None))
    ]
    assert not missing, UPGRADE_HINT + f"SQLCompiler lost {', '.join(missing)}"
    populators = getattr(django_query, "get_related_populators", None)
    assert callable(populators), UPGRADE_HINT + "django.db.models.query.get_related_populators is gone"
    assert list(inspect.signature(populators).parameters) == ["klass_info", "select", "db"], (
        UPGRADE_HINT + f"get_related_populators now takes {inspect.signature(populators)}"
    )

    compiler = queries._public_record.build("x").query.get_compiler(using="default")
    compiler.as_sql()
    for attribute in ("select", "klass_info", "col_count", "annotation_col_map"):
        assert hasattr(compiler, attribute), UPGRADE_HINT + f"a compiled query has no `{attribute}` any more"
    assert compiler.klass_info is not None
    for key in ("model", "select_fields", "related_klass_infos"):
        assert key in compiler.klass_info, (
            UPGRADE_HINT + f"klass_info has no {key!r} (keys: {list(compiler.klass_info)})"
        )
    column = compiler.select[compiler.klass_info["select_fields"][0]][0]
    assert hasattr(column, "target") and hasattr(column.target, "attname"), (
        UPGRADE_HINT + f"a selected column ({type(column).__name__}) has no target.attname"
    )


@pytest.fixture
def records(make_record, editor):
    """Records of every kind the query meets: published with and without attachments, withdrawn,
    a draft, and one in a top-level category (no parent)."""
    top = Category.objects.create(code="top-level", name="顶级栏目", name_en="Top level")
    with_files = make_record(status="published", name="有附件的信息")
    for name, size in (("第一.pdf", 1234), ("第二.xlsx", 99)):
        Attachment.objects.create(
            record=with_files,
            file=f"attachments/{name}",
            original_name=name,
            extension=name.rsplit(".", 1)[1],
            content_type="application/octet-stream",
            size=size,
            sha256="0" * 64,
            uploaded_by=editor,
            uploaded_at=timezone.now(),
        )
    return {
        "with_files": with_files,
        "plain": make_record(status="published", name="无附件的信息", formed_on=dt.date(2016, 3, 1)),
        "withdrawn": make_record(status="withdrawn", name="已撤回的信息"),
        "draft": make_record(status="draft", name="草稿"),
        "top": make_record(status="published", name="顶级栏目下的信息", category=top),
    }


def _loaded(obj: Model) -> dict[str, object]:
    """Every value the page can read without another query, related objects included."""
    values = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname in obj.__dict__
    }
    values["deferred"] = sorted(obj.get_deferred_fields())
    values["has_attachments"] = getattr(obj, "has_attachments", None)
    category = obj._state.fields_cache.get("category")
    if category is not None:
        values["category"] = {k: v for k, v in category.__dict__.items() if not k.startswith("_")}
        parent = category._state.fields_cache.get("parent")
        values["parent"] = (
            None if parent is None else {k: v for k, v in parent.__dict__.items() if not k.startswith("_")}
        )
    return values


def test_its_sql_is_the_orms_for_any_value(records):
    prepared = queries._public_record._prepare("default")
    for record in records.values():
        sql, params = (
            queries._public_record.build(record.index_number).query.get_compiler(using="default").as_sql()
        )
        expected = list(prepared.params)
        for i in prepared.positions:
            expected[i] = record.index_number
        assert (prepared.sql, expected) == (sql, list(params)), (
            UPGRADE_HINT + "the compiled SQL now depends on the value (or its parameters moved)"
        )


def test_it_gives_the_objects_the_orm_gives(records, django_assert_num_queries):
    for key, record in records.items():
        expected = list(queries._public_record.build(record.index_number))
        with django_assert_num_queries(1):
            got = queries._public_record(record.index_number)
        assert [_loaded(o) for o in got] == [_loaded(o) for o in expected], f"{key} ({connection.vendor})"
        if key == "draft":
            assert got == []
            continue
        page = queries.get_public_record(record.index_number)
        assert page.pk == record.pk
        with django_assert_num_queries(0):  # select_related: the page reads no more
            assert page.category.name
            _ = page.category.parent and page.category.parent.name

    attachments = list(queries._record_attachments.build(records["with_files"].pk))
    listed = queries._record_attachments(records["with_files"].pk)
    assert [_loaded(a) for a in listed] == [_loaded(a) for a in attachments]
    assert [a.original_name for a in listed] == ["第一.pdf", "第二.xlsx"]
    assert queries.public_attachments(queries.get_public_record(records["plain"].index_number)) == []
