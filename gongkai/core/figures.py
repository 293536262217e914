"""The period-figures contract: each app answers `figures(period)` with typed `Figure`s and registers
that provider here from its AppConfig.ready(). The annual report, the dashboard and `gongkai figures`
only assemble what is registered; nothing in this module imports an app."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from gongkai.core import params

StrOrPromise = str | Promise

# `<app label>.<name>[.<name>…]`: lower-case words; later parts may carry a catalog slug (hyphens).
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_][a-z0-9_-]*)+$")


class PeriodError(ValueError):
    """A period that cannot be: bad dates, or a start after the end."""


class FiguresError(Exception):
    """A provider broke the contract (a badly formed, foreign or duplicate code, a second provider)."""


class DuplicateFigureError(FiguresError):
    pass


class UnknownFigureError(LookupError):
    pass


@dataclass(frozen=True)
class Period:
    """The days from `start` to `end`, both included (a report year is 1 January to 31 December)."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        for value in (self.start, self.end):
            # A datetime is a date too, but would make the bounds depend on its time of day.
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise PeriodError(_("统计期间的起止日期必须是日期：%(value)s") % {"value": repr(value)})
        if self.start > self.end:
            raise PeriodError(
                _("统计期间的开始日期 %(start)s 晚于结束日期 %(end)s。")
                % {"start": self.start.isoformat(), "end": self.end.isoformat()}
            )

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def parse(cls, start: str, end: str) -> Period:
        """From two YYYY-MM-DD strings (a command line, a query string), with a clear error."""
        dates = []
        for text in (start, end):
            try:
                dates.append(dt.date.fromisoformat(text.strip()))
            except (ValueError, AttributeError) as exc:
                raise PeriodError(_("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": text}) from exc
            # Nothing here is dated outside these years; 0001-01-01 or 9999-12-31 would overflow
            # the time-zone arithmetic of bounds().
            if not params.YEAR_MIN <= dates[-1].year <= params.YEAR_MAX:
                raise PeriodError(
                    _("日期应在 %(low)d 年至 %(high)d 年之间：%(value)s")
                    % {"low": params.YEAR_MIN, "high": params.YEAR_MAX, "value": text}
                )
        return cls(dates[0], dates[1])

    def __contains__(self, day: object) -> bool:
        if isinstance(day, dt.datetime):
            day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def is_calendar_year(self) -> bool:
        return self == Period.year(self.start.year)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[first moment, first moment after) in the agency's time zone, for timestamp columns.

        A record published at 23:30 on 31 December Beijing time (15:30 UTC) belongs to that year.
        """
        zone = timezone.get_default_timezone()
        first = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return first, after

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


@dataclass(frozen=True)
class Unit:
    """A unit in both languages; `counts` says a value in it is a number of objects."""

    zh: str
    en: str
    counts: bool

    def __str__(self) -> str:
        return self.en if _is_english() else self.zh


ITEMS = Unit("条", "items", counts=True)  # records, publications, posts
CASES = Unit("件", "cases", counts=True)  # applications, reviews, documents issued
FILES = Unit("个", "files", counts=True)  # attachments
SESSIONS = Unit("场", "sessions", counts=True)  # press conferences, interviews
ENTRIES = Unit("项", "entries", counts=True)  # power items, approval items
PERCENT = Unit("%", "%", counts=False)
WORKING_DAYS = Unit("个工作日", "working days", counts=False)
TEN_THOUSAND_YUAN = Unit("万元", "10,000 yuan", counts=False)

Value = int | Decimal | None


@dataclass(frozen=True)
class Figure:
    """One number of a period: a stable dotted code, labels in both languages, value and unit.

    `objects` lists what the figure counts (or, for a rate or a duration, what it was measured on);
    `staff_url` is a workbench page listing them where one exists. `value` is None only when the
    figure is undefined for the period (the median of no replies), never for a zero count.
    """

    code: str
    label_zh: str
    label_en: str
    value: Value
    unit: Unit
    section: str = ""
    objects: Callable[[], QuerySet[Any]] | None = field(default=None, compare=False, repr=False)
    staff_url: str | None = None
    # Computed with an assumption (e.g. working days of a year whose holidays are not entered).
    approximate: bool = False

    def __post_init__(self) -> None:
        if not CODE_PATTERN.match(self.code):
            raise FiguresError(f"figure code {self.code!r} is not a dotted lower-case code")
        if isinstance(self.value, bool) or not isinstance(self.value, int | Decimal | None):
            raise FiguresError(f"figure {self.code}: value must be int, Decimal or None, not {self.value!r}")
        if self.unit.counts and self.value is not None and not isinstance(self.value, int):
            raise FiguresError(f"figure {self.code}: a count in {self.unit.zh} must be an int")

    @classmethod
    def make(cls, code: str, label: StrOrPromise, value: Value, unit: Unit, **options: Any) -> Figure:
        """A figure whose label is a translatable string, rendered in both languages now."""
        with translation.override("zh-hans"):
            label_zh = str(label)
        with translation.override("en"):
            label_en = str(label)
        return cls(code, label_zh, label_en, value, unit, **options)

    @property
    def label(self) -> str:
        return self.label_en if _is_english() else self.label_zh

    @property
    def counts_objects(self) -> bool:
        """True when `value` is exactly the number of `objects()`."""
        return self.unit.counts and self.objects is not None and self.value is not None

    def as_dict(self) -> dict[str, Any]:
        value: int | float | None = float(self.value) if isinstance(self.value, Decimal) else self.value
        return {
            "code": self.code,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "value": value,
            "unit_zh": self.unit.zh,
            "unit_en": self.unit.en,
            "section": self.section,
            "counts_objects": self.counts_objects,
            "staff_url": self.staff_url,
            "approximate": self.approximate,
        }


Provider = Callable[[Period], Iterable[Figure]]


class Registry:
    """Providers by app label, in registration order (INSTALLED_APPS order via ready())."""

    def __init__(self) -> None:
        self._providers: dict[str, Provider] = {}

    def register(self, app_label: str, provider: Provider) -> None:
        current = self._providers.get(app_label)
        if current is not None and current is not provider:
            raise FiguresError(f"app {app_label!r} already registered a figures provider ({current!r})")
        self._providers[app_label] = provider

    def apps(self) -> list[str]:
        return list(self._providers)

    def collect(self, period: Period, *, apps: Iterable[str] | None = None) -> list[Figure]:
        """Every figure of the period, app by app; a broken contract fails loudly, never silently."""
        labels = self.apps() if apps is None else list(apps)
        unknown = [label for label in labels if label not in self._providers]
        if unknown:
            raise UnknownFigureError(
                _("没有登记统计数据的应用：%(apps)s（已登记：%(known)s）")
                % {"apps": ", ".join(unknown), "known": ", ".join(self.apps()) or "—"}
            )
        result: list[Figure] = []
        seen: dict[str, str] = {}
        for label in labels:
            for item in self._providers[label](period):
                if not item.code.startswith(f"{label}."):
                    raise FiguresError(f"figure {item.code!r} from {label!r} must begin with {label + '.'!r}")
                if item.code in seen:
                    raise DuplicateFigureError(
                        f"figure code {item.code!r} given twice (by {seen[item.code]!r} and {label!r})"
                    )
                seen[item.code] = label
                result.append(item)
        return result

    def figure(self, code: str, period: Period) -> Figure:
        app_label = code.split(".", 1)[0]
        if app_label in self._providers:
            for item in self.collect(period, apps=[app_label]):
                if item.code == code:
                    return item
        raise UnknownFigureError(_("没有这个统计项：%(code)s") % {"code": code})


def _is_english() -> bool:
    return (translation.get_language() or "").startswith("en")


# The one registry of the running project; apps register in their AppConfig.ready().
registry = Registry()
register = registry.register
collect = registry.collect
figure = registry.figure
registered_apps = registry.apps
