"""Read-side helpers. Views fetch records only through these access helpers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any, Generic, NamedTuple, TypeVar

from django.db import connections, router
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.db.models.query import get_related_populators
from django.http import Http404

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Attachment, Category, Record

PUBLIC_STATUSES = (Status.PUBLISHED, Status.WITHDRAWN)
M = TypeVar("M", bound=Model)


def published_records() -> QuerySet[Record]:
    return Record.objects.filter(status=Status.PUBLISHED).select_related("category", "department")


# The columns the public record page shows (catalog/public/record.html); the rest stay deferred.
RECORD_PAGE_FIELDS = (
    "index_number",
    "name",
    "summary",
    "body",
    "formed_on",
    "issuer",
    "doc_number",
    "genre",
    "keywords",
    "validity",
    "repealed_on",
    "amended_on",
    "validity_document",
    "status",
    "published_at",
    "withdrawn_at",
    "withdrawal_reason",
    "category__code",
    "category__name",
    "category__name_en",
    "category__parent__code",
    "category__parent__name",
    "category__parent__name_en",
)


class _Compiled(NamedTuple):
    """What PreparedQuery keeps of a compiled queryset: its SQL and how to build the objects."""

    compiler: Any
    converters: Any
    sql: str
    params: list[Any]
    positions: list[int]
    model: Any
    init_list: list[str]
    start: int
    end: int
    populators: list[Any]
    annotations: list[tuple[str, int]]


class PreparedQuery(Generic[M]):
    """A query whose SQL Django builds once per process, run with a different value each time.

    Compiling the record page's query (joins, column list, converters) cost more than running it;
    the data is read afresh on every call: nothing but the SQL text and the column mapping is kept.
    Yields model instances exactly as iterating the queryset would (select_related included).
    """

    def __init__(self, model: type[M], build: Callable[[Any], QuerySet[M]], placeholder: Any) -> None:
        # `placeholder` stands for the one value the query takes; it must not occur otherwise.
        self.model = model
        self.build = build
        self.placeholder = placeholder
        self.prepared: dict[str, _Compiled] = {}
        self.lock = threading.Lock()

    def _prepare(self, alias: str) -> _Compiled:
        queryset = self.build(self.placeholder)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        positions = [i for i, p in enumerate(params) if p == self.placeholder]
        select, klass_info = compiler.select, compiler.klass_info
        assert klass_info is not None and positions
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [s[0].target.attname for s in select[start:end]]
        populators = get_related_populators(klass_info, select, alias)  # type: ignore[call-arg]  # stubs: 6.0
        converters = compiler.get_converters([s[0] for s in select[0 : compiler.col_count]])
        model = klass_info["model"]
        annotations = list(compiler.annotation_col_map.items())
        return _Compiled(
            compiler,
            converters,
            sql,
            list(params),
            positions,
            model,
            init_list,
            start,
            end,
            populators,
            annotations,
        )

    def __call__(self, value: Any, *, limit: int | None = None) -> list[M]:
        alias = router.db_for_read(self.model) or "default"
        prepared = self.prepared.get(alias)
        if prepared is None:
            with self.lock:
                prepared = self.prepared.setdefault(alias, self._prepare(alias))
        params = list(prepared.params)
        for i in prepared.positions:
            params[i] = value
        with connections[alias].cursor() as cursor:
            cursor.execute(prepared.sql, params)
            rows = cursor.fetchmany(limit) if limit else cursor.fetchall()
        model, init_list, start, end = prepared.model, prepared.init_list, prepared.start, prepared.end
        if prepared.converters:
            rows = prepared.compiler.apply_converters(rows, prepared.converters)
        objects = []
        for row in rows:
            obj = model.from_db(alias, init_list, row[start:end])
            for populator in prepared.populators:
                populator.populate(row, obj)
            for name, position in prepared.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


_public_record = PreparedQuery(
    Record,
    lambda index_number: (
        Record.objects.filter(index_number=index_number, status__in=PUBLIC_STATUSES)
        .select_related("category", "category__parent")
        .only(*RECORD_PAGE_FIELDS)
        # Read the attachments only for the records that have some (most have none).
        .annotate(has_attachments=Exists(Attachment.objects.filter(record_id=OuterRef("pk"))))
        .order_by()
    ),
    "\x00index-number\x00",
)
_record_attachments = PreparedQuery(
    Attachment,
    lambda record_id: Attachment.objects.filter(record_id=record_id).only(
        "record_id", "original_name", "size"
    ),
    -7_919_000_001,
)


def get_public_record(index_number: str) -> Record:
    """A published record, or a withdrawn one (which shows its withdrawal notice); anything else is 404.

    Only the columns the public page shows are read (RECORD_PAGE_FIELDS)."""
    found = _public_record(index_number, limit=1)
    if not found:
        raise Http404("not published")
    return found[0]


def public_attachments(record: Record) -> list[Attachment]:
    """The attachments listed on a published record's page (name and size), in upload order."""
    if not getattr(record, "has_attachments", True):  # known from get_public_record's query
        return []
    return _record_attachments(record.pk)


def get_public_attachment(index_number: str, attachment_id: int) -> Attachment:
    attachment = (
        Attachment.objects.filter(
            pk=attachment_id, record__index_number=index_number, record__status=Status.PUBLISHED
        )
        .select_related("record")
        .first()
    )
    if attachment is None:
        raise Http404("not published")
    return attachment


def staff_records(user: User) -> QuerySet[Record]:
    """Reviewers, leaders and auditors see every record; department staff see their department's."""
    qs = Record.objects.select_related("category", "department", "created_by")
    if user.has_role(Role.REVIEWER, Role.LEADER, Role.AUDIT_ADMIN):
        return qs
    if user.department_id is None:
        return qs.none()
    return qs.filter(department_id=user.department_id)


def get_record_for_staff(user: User, pk: int) -> Record:
    record = staff_records(user).filter(pk=pk).first()
    if record is None:
        raise Http404("no such record for this user")
    return record


def category_tree() -> list[tuple[Category, list[Category]]]:
    categories = list(Category.objects.filter(is_active=True))
    roots = [c for c in categories if c.parent_id is None]
    return [(root, [c for c in categories if c.parent_id == root.pk]) for root in roots]


def descendant_ids(category: Category) -> list[int]:
    ids = [category.pk]
    frontier = [category.pk]
    while frontier:
        children = list(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(children)
        frontier = children
    return ids


def still_published(pks: Iterable[int]) -> list[Record]:
    """Of these records, those still published, oldest publication first (for another app that
    keeps the ids of the records it published, e.g. the annual report's earlier publications)."""
    return list(published_records().filter(pk__in=list(pks)).order_by("published_at", "id"))


def category_by_code(code: str) -> Category | None:
    """An active column by its code (another app publishing into a column it names)."""
    return Category.objects.filter(code=code, is_active=True).first()


def leaf_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True, children__isnull=True).select_related("parent")


def latest_year() -> int:
    from gongkai.core import clock

    return clock.today().year
