"""What a check answers: the problems found (each with its place) and the checks that passed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.translation import gettext as _

Severity = Literal["error", "warning", "notice"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "notice")


@dataclass(frozen=True)
class Place:
    """Where something was read: the page (PDF), the paragraph (counted over the whole report, from
    1), a table with its row and column, and a short quote of the text around it."""

    page: int | None = None
    paragraph: int | None = None
    table: str = ""
    row: str = ""
    column: str = ""
    quote: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "paragraph": self.paragraph,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "quote": self.quote,
        }

    def describe(self) -> str:
        parts = []
        if self.page:
            parts.append(_("第%(n)d页") % {"n": self.page})
        if self.table:
            parts.append(_("表%(t)s") % {"t": self.table})
            if self.row:
                parts.append(_("“%(row)s”行") % {"row": self.row})
            if self.column:
                parts.append(_("“%(column)s”列") % {"column": self.column})
        elif self.paragraph:
            parts.append(_("第%(n)d段") % {"n": self.paragraph})
        text = " ".join(parts)
        if self.quote:
            text = f"{text} “{self.quote}”" if text else f"“{self.quote}”"
        return text


@dataclass(frozen=True)
class Finding:
    """A problem: `kind` is a stable code (docs/annualreport-checker.md lists them), `message` says
    it in the active language."""

    kind: str
    severity: Severity
    message: str
    place: Place = field(default_factory=Place)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "place": self.place.as_dict(),
        }


@dataclass(frozen=True)
class Confirmation:
    """A check that passed, stated as arithmetic: "3 + 17 = 20", "35 → 7 = 80%"."""

    kind: str
    statement: str
    place: Place = field(default_factory=Place)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "statement": self.statement, "place": self.place.as_dict()}


@dataclass
class CheckResult:
    """All a check found in one report. `form` is "national" or "narrative"; `year` the report year
    read from its title (None when it states none)."""

    source: str = ""
    year: int | None = None
    form: str = ""
    findings: list[Finding] = field(default_factory=list)
    confirmed: list[Confirmation] = field(default_factory=list)
    tables: dict[str, Any] = field(default_factory=dict)
    pages: int | None = None
    paragraphs: int = 0

    @property
    def ok(self) -> bool:
        return not any(finding.severity == "error" for finding in self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def kinds(self) -> set[str]:
        return {finding.kind for finding in self.findings}

    def statements(self) -> list[str]:
        return [item.statement for item in self.confirmed]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "year": self.year,
            "form": self.form,
            "pages": self.pages,
            "paragraphs": self.paragraphs,
            "ok": self.ok,
            "counts": {severity: self.count(severity) for severity in SEVERITIES},
            "findings": [finding.as_dict() for finding in self.findings],
            "confirmed": [item.as_dict() for item in self.confirmed],
            "tables": self.tables,
        }

    def as_text(self) -> str:
        labels = {"error": _("错误"), "warning": _("存疑"), "notice": _("提示")}
        forms = {"national": _("全国统一格式"), "narrative": _("叙述式")}
        year = _("%(year)d年度") % {"year": self.year} if self.year else _("年度不明")
        head = _("检查：%(source)s（%(year)s，%(form)s）") % {
            "source": self.source or _("报告正文"),
            "year": year,
            "form": forms.get(self.form, self.form),
        }
        lines = [head]
        if self.findings:
            lines.append(_("发现问题 %(n)d 项：") % {"n": len(self.findings)})
            for number, finding in enumerate(self.findings, 1):
                lines.append(f"{number}. [{labels[finding.severity]}] {finding.message}")
                where = finding.place.describe()
                if where:
                    lines.append("   " + _("位置：%(place)s") % {"place": where})
        else:
            lines.append(_("未发现问题。"))
        if self.confirmed:
            lines.append(_("核对无误 %(n)d 项：") % {"n": len(self.confirmed)})
            for item in self.confirmed:
                where = item.place.describe()
                lines.append(f"- {item.statement}" + (f"（{where}）" if where else ""))
        return "\n".join(lines) + "\n"
