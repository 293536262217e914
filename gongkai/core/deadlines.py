"""Deadlines as pure functions of (start, rule set, calendar, pauses) that explain themselves.

The publication limit of a record (`publication_deadline`) and the one reply clock of an
application (`compute`): a pure function of (receipt, rule set, calendar, pauses, extension) that
returns its own explanation. `gongkai deadline` and the application services both use it.

- Start: the receipt date (Art. 31, 2019); under the 2019 rules a completed application (补正)
  restarts the clock from the day the completed application is received (Art. 30).
- Reply within the rule set's working days (2007 Art. 24: 15; 2019 Art. 33: 20), start not counted.
- Consultation time is not counted (2007 Art. 24: third parties; 2019 Arts. 32–34: third parties and
  other agencies): the working days a consultation ran push the due date back.
- A fee notice's time until payment is not counted either (国办函〔2020〕109号; `fee` pauses).
- Extension: at most the rule set's working days more, with approval (2007 Art. 24; 2019 Art. 33).
- An agency-set later deadline (2019 Art. 35) replaces the others when set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import rules, workdays


@dataclass(frozen=True)
class Deadline:
    start: dt.date
    workdays: int
    due: dt.date
    rule_code: str
    article: str
    crossed: tuple[tuple[dt.date, str, str], ...] = field(default_factory=tuple)

    def explain(self) -> str:
        lines = [
            f"起算日 {self.start.isoformat()}（当日不计），依{self.article}计 {self.workdays} 个工作日，"
            f"截止 {self.due.isoformat()}。"
        ]
        for day, kind, name in self.crossed:
            label = "调休上班" if kind == "makeup" else "节假日"
            lines.append(f"  {day.isoformat()} {label}{(' ' + name) if name else ''}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "workdays": self.workdays,
            "due": self.due.isoformat(),
            "rule_set": self.rule_code,
            "article": self.article,
            "crossed": [{"date": d.isoformat(), "kind": k, "name": n} for d, k, n in self.crossed],
        }


def workday_deadline(start: dt.date, n: int, *, rule_code: str, article: str) -> Deadline:
    due = workdays.add_workdays(start, n)
    crossed = tuple(
        (info.date, "makeup" if info.is_makeup_day else "holiday", info.name)
        for info in workdays.special_days(start, due)
    )
    return Deadline(start=start, workdays=n, due=due, rule_code=rule_code, article=article, crossed=crossed)


def publication_deadline(formed_on: dt.date) -> Deadline:
    """Proactive records are published within 20 working days of formation (2007 Art. 18; 2019 Art. 26)."""
    rule_set = rules.rules_for(formed_on)
    return workday_deadline(
        formed_on,
        rule_set.publication_workdays,
        rule_code=rule_set.code,
        article=rule_set.publication_article,
    )


# --------------------------------------------------------------------------------------------
# The reply clock of an application


@dataclass(frozen=True)
class PauseSpan:
    kind: str  # "third_party" or "other_agency"
    started_on: dt.date
    ended_on: dt.date | None


@dataclass(frozen=True)
class ClockInput:
    received_on: dt.date
    as_of: dt.date
    supplement_completed_on: dt.date | None = None
    consultations: tuple[PauseSpan, ...] = ()
    extension_workdays: int | None = None
    later_due_on: dt.date | None = None


@dataclass(frozen=True)
class Step:
    text: str
    date: dt.date | None = None


@dataclass(frozen=True)
class ClockResult:
    rule_set: rules.RuleSet
    start: dt.date
    due: dt.date | None  # None while the schedule of the year it falls in is not entered
    extended_due: dt.date | None
    extended: bool
    paused_workdays: int
    paused_now: bool
    effective_due: dt.date | None
    steps: tuple[Step, ...] = field(default_factory=tuple)
    crossed: tuple[tuple[dt.date, str, str], ...] = field(default_factory=tuple)

    def explain(self) -> str:
        lines = [s.text for s in self.steps]
        for day, kind, name in self.crossed:
            lines.append(
                f"  {day.isoformat()} {_('调休上班') if kind == 'makeup' else _('节假日')} {name}".rstrip()
            )
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_set": self.rule_set.code,
            "rule_set_title": self.rule_set.title,
            "start": self.start.isoformat(),
            "reply_workdays": self.rule_set.reply_workdays,
            "paused_workdays": self.paused_workdays,
            "paused_now": self.paused_now,
            "due": self.due.isoformat() if self.due else None,
            "extended": self.extended,
            "extended_due": self.extended_due.isoformat() if self.extended_due else None,
            "effective_due": self.effective_due.isoformat() if self.effective_due else None,
            "steps": [s.text for s in self.steps],
            "crossed": [{"date": d.isoformat(), "kind": k, "name": n} for d, k, n in self.crossed],
        }


PAUSE_LABELS = {
    "third_party": gettext_lazy("征求第三方意见"),
    "other_agency": gettext_lazy("征求其他机关意见"),
    "fee": gettext_lazy("自发出收费通知至缴费"),
}


class ExtensionTooLongError(ValueError):
    pass


def compute(inp: ClockInput) -> ClockResult:
    rule_set = rules.rules_for(inp.received_on)
    steps: list[Step] = [
        Step(
            _("收到申请 %(d)s，适用%(title)s。")
            % {"d": inp.received_on.isoformat(), "title": rule_set.local_title},
            inp.received_on,
        )
    ]
    start = inp.received_on
    if inp.supplement_completed_on is not None and rule_set.supplement_workdays is not None:
        start = inp.supplement_completed_on
        steps.append(
            Step(
                _("申请人于 %(d)s 提交补正后的申请，答复期限自该日重新起算（%(art)s）。")
                % {"d": start.isoformat(), "art": rule_set.local("supplement_article")},
                start,
            )
        )
    extended = inp.extension_workdays is not None
    extension = inp.extension_workdays if extended else rule_set.extension_workdays
    assert extension is not None
    if extension > rule_set.extension_workdays:
        raise ExtensionTooLongError(
            _("延长期限最长不超过 %(n)d 个工作日（%(art)s）。")
            % {"n": rule_set.extension_workdays, "art": rule_set.local("extension_article")}
        )
    paused = 0
    paused_now = False
    due: dt.date | None = None
    extended_due: dt.date | None = None
    try:
        due = workdays.add_workdays(start, rule_set.reply_workdays)
        steps.append(
            Step(
                _("自 %(start)s 次日起计 %(n)d 个工作日（%(art)s），截止 %(due)s。")
                % {
                    "start": start.isoformat(),
                    "n": rule_set.reply_workdays,
                    "art": rule_set.local("reply_article"),
                    "due": due.isoformat(),
                },
                due,
            )
        )
        for span in inp.consultations:
            if span.kind not in rule_set.consultation_excluded:
                continue
            end = span.ended_on or inp.as_of
            if span.ended_on is None:
                paused_now = True
            days = workdays.workdays_between(span.started_on, end) if end > span.started_on else 0
            paused += days
            label = str(PAUSE_LABELS.get(span.kind, span.kind))
            state = (
                _("至 %(d)s") % {"d": span.ended_on.isoformat()}
                if span.ended_on
                else _("至今（%(d)s）仍在进行") % {"d": inp.as_of.isoformat()}
            )
            steps.append(
                Step(
                    _("%(label)s自 %(d)s %(state)s，%(n)d 个工作日不计入期限。")
                    % {"label": label, "d": span.started_on.isoformat(), "state": state, "n": days},
                    span.started_on,
                )
            )
        if paused:
            due = workdays.add_workdays(due, paused)
            steps.append(
                Step(
                    _("扣除不计入的 %(n)d 个工作日后，答复期限为 %(d)s。")
                    % {"n": paused, "d": due.isoformat()},
                    due,
                )
            )
        extended_due = workdays.add_workdays(due, extension)
        if extended:
            steps.append(
                Step(
                    _("经批准延长 %(n)d 个工作日（%(art)s），截止 %(d)s。")
                    % {
                        "n": extension,
                        "art": rule_set.local("extension_article"),
                        "d": extended_due.isoformat(),
                    },
                    extended_due,
                )
            )
        else:
            steps.append(
                Step(
                    _("如经批准延长，最长 %(n)d 个工作日，截止 %(d)s。")
                    % {"n": extension, "d": extended_due.isoformat()},
                    extended_due,
                )
            )
    except workdays.CalendarUnknownError as exc:
        # The law still requires the application to be received: the date is left open, never guessed.
        steps.append(
            Step(
                (
                    _("%(y)d 年的节假日安排尚未录入，答复期限须待录入后确定（不作推测）。")
                    if due is None
                    else _("%(y)d 年的节假日安排尚未录入，延长后的期限须待录入后确定（不作推测）。")
                )
                % {"y": exc.year}
            )
        )
    effective = extended_due if extended else due
    if inp.later_due_on is not None:
        effective = inp.later_due_on
        steps.append(
            Step(
                _("本机关确定的答复期限为 %(d)s（第三十五条）。") % {"d": inp.later_due_on.isoformat()},
                inp.later_due_on,
            )
        )
    known = [d for d in (effective, extended_due, due) if d is not None]
    crossed: tuple[tuple[dt.date, str, str], ...] = ()
    if known:
        crossed = tuple(
            (info.date, "makeup" if info.is_makeup_day else "holiday", info.name)
            for info in workdays.special_days(inp.received_on, max(known))
        )
    return ClockResult(
        rule_set=rule_set,
        start=start,
        due=due,
        extended_due=extended_due,
        extended=extended,
        paused_workdays=paused,
        paused_now=paused_now,
        effective_due=effective,
        steps=tuple(steps),
        crossed=crossed,
    )
