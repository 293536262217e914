"""Reading a press conference's transcript from a file: all rows or none.

Three formats (docs/pressroom.md, "Transcript import"):

- XLSX (first sheet) or CSV (UTF-8, or GB18030 as Excel saves it): a heading row with the columns
  发言人 (speaker), 问题 (question) and 回答 (answer), and optionally 提问人 (who asked: a journalist
  and their outlet); English headings speaker / question / answer / asked_by are understood too.
  One row per answer; an empty question is a speaker's statement.
- Text (.txt; UTF-8, UTF-16 or GB18030): paragraphs beginning 问： or 问（提问人）： for a question and 答（发言人）：
  for an answer; a line without either continues the paragraph above; lines beginning # are notes.

The speaker must be one of the conference's speakers (the form lists them). Any error — an unknown
speaker, an empty answer, a text too long, a file too big, a damaged file — refuses the whole file
with every error found (up to `MAX_ERRORS`), each naming its row (line) and column, in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import acts
from gongkai.core.spreadsheet import Limits, SpreadsheetError, decode_text, read_upload

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_ERRORS = 20
MAX_QUESTION = 2000
MAX_ANSWER = 20000
MAX_ASKER = 100
LIMITS = Limits(
    rows=MAX_ROWS + 1, columns=20, cells=20 * (MAX_ROWS + 1), bytes=16 * 1024 * 1024, seconds=10.0
)

HEADINGS = {
    "发言人": "speaker",
    "发布人": "speaker",
    "speaker": "speaker",
    "问题": "question",
    "question": "question",
    "回答": "answer",
    "答复": "answer",
    "answer": "answer",
    "提问人": "asked_by",
    "asked_by": "asked_by",
}
LABELS = {
    "speaker": gettext_lazy("发言人"),
    "question": gettext_lazy("问题"),
    "answer": gettext_lazy("回答"),
    "asked_by": gettext_lazy("提问人"),
}
QUESTION = re.compile(r"^\s*问\s*(?:[（(]\s*(?P<who>[^）)]*?)\s*[）)])?\s*[：:]\s*(?P<text>.*)$")
ANSWER = re.compile(r"^\s*答\s*(?:[（(]\s*(?P<who>[^）)]*?)\s*[）)])?\s*[：:]\s*(?P<text>.*)$")


@dataclass(frozen=True)
class Row:
    speaker: str
    question: str
    answer: str
    asked_by: str = ""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        # Whole sentences, so that each language orders and punctuates them its own way.
        column = str(LABELS.get(self.column, self.column))
        if self.row and self.column:
            return _("第 %(row)d 行“%(column)s”列：%(message)s") % {
                "row": self.row,
                "column": column,
                "message": self.message,
            }
        if self.row:
            return _("第 %(row)d 行：%(message)s") % {"row": self.row, "message": self.message}
        if self.column:
            return _("“%(column)s”列：%(message)s") % {"column": column, "message": self.message}
        return self.message


class TranscriptError(acts.ActError):
    """The file was refused; nothing was imported. `errors` lists where and why."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(_("问答实录未导入（文件中的内容均未保存）：") + "；".join(str(e) for e in errors))


def parse(content: bytes, filename: str, speakers: set[str]) -> list[Row]:
    """The rows of a transcript file, checked against the conference's speakers."""
    if not content:
        raise TranscriptError([RowError(0, "", _("文件是空的。"))])
    if len(content) > MAX_BYTES:
        raise TranscriptError(
            [RowError(0, "", _("文件超过 %(n)d MB，请拆分后分别整理。") % {"n": MAX_BYTES // (1024 * 1024)})]
        )
    name = filename.lower()
    try:
        if name.endswith(".txt"):
            text, _encoding = decode_text(content, LIMITS)
            rows = _from_text(text, speakers)
        elif name.endswith((".xlsx", ".csv")):
            rows = _from_table(read_upload(content, LIMITS).rows, speakers)
        else:
            raise TranscriptError([RowError(0, "", _("请上传 XLSX、CSV 或 TXT 文件。"))])
    except SpreadsheetError as exc:
        raise TranscriptError([RowError(0, "", exc.localised())]) from exc
    if not rows:
        raise TranscriptError([RowError(0, "", _("文件中没有问答内容。"))])
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32).strip()


def _from_table(table: list[list[Any]], speakers: set[str]) -> list[Row]:
    if not table or not any(_cell(v) for v in table[0]):
        raise TranscriptError([RowError(1, "", _("第一行应为列名：发言人、问题、回答（可加提问人）。"))])
    columns: dict[str, int] = {}
    errors: list[RowError] = []
    for index, heading in enumerate(table[0]):
        key = HEADINGS.get(_cell(heading).lower())
        if key is None:
            if _cell(heading):
                errors.append(RowError(1, "", _("未知的列名“%(h)s”。") % {"h": _cell(heading)[:30]}))
            continue
        if key in columns:
            errors.append(RowError(1, "", _("列“%(h)s”重复。") % {"h": LABELS[key]}))
        columns[key] = index
    for key in ("speaker", "question", "answer"):
        if key not in columns:
            errors.append(RowError(1, "", _("缺少“%(h)s”列。") % {"h": LABELS[key]}))
    if errors:
        raise TranscriptError(errors)
    if len(table) - 1 > MAX_ROWS:
        raise TranscriptError([RowError(0, "", _("问答不能超过 %(n)d 条。") % {"n": MAX_ROWS})])
    rows: list[Row] = []
    for number, raw in enumerate(table[1:], start=2):
        values = {key: _cell(raw[i]) if i < len(raw) else "" for key, i in columns.items()}
        if not any(values.values()):
            continue  # an empty row between groups
        row, row_errors = _check(number, values, speakers)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise TranscriptError(errors[:MAX_ERRORS])
    return rows


def _check(number: int, values: dict[str, str], speakers: set[str]) -> tuple[Row | None, list[RowError]]:
    errors = []
    speaker = values.get("speaker", "")
    if not speaker:
        errors.append(RowError(number, "speaker", _("缺少发言人。")))
    elif speaker not in speakers:
        errors.append(
            RowError(
                number,
                "speaker",
                _("“%(name)s”不是本场发布会的发布人（发布人：%(all)s）。")
                % {"name": speaker[:50], "all": "、".join(sorted(speakers)) or "—"},
            )
        )
    if not values.get("answer"):
        errors.append(RowError(number, "answer", _("缺少回答。")))
    for key, limit in (("question", MAX_QUESTION), ("answer", MAX_ANSWER), ("asked_by", MAX_ASKER)):
        if len(values.get(key, "")) > limit:
            errors.append(RowError(number, key, _("不能超过 %(n)d 个字。") % {"n": limit}))
    if errors:
        return None, errors
    return Row(speaker, values.get("question", ""), values["answer"], values.get("asked_by", "")), []


def _from_text(text: str, speakers: set[str]) -> list[Row]:
    lines = text.splitlines()
    if len(lines) > 20 * MAX_ROWS:
        raise TranscriptError([RowError(0, "", _("文件过长。"))])
    errors: list[RowError] = []
    # Paragraphs: (line number, kind, who, [text lines])
    paragraphs: list[tuple[int, str, str, list[str]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if match := QUESTION.match(line):
            paragraphs.append((number, "q", match["who"] or "", [match["text"]]))
        elif match := ANSWER.match(line):
            paragraphs.append((number, "a", match["who"] or "", [match["text"]]))
        elif paragraphs:
            paragraphs[-1][3].append(line.strip())
        else:
            errors.append(RowError(number, "", _("应以“问：”或“答（发言人）：”开头。")))
    rows: list[Row] = []
    question, asked_by = "", ""
    for number, kind, who, parts in paragraphs:
        body = "\n".join(p.strip() for p in parts if p.strip())
        if kind == "q":
            question, asked_by = body, who
            if not body:
                errors.append(RowError(number, "question", _("问题是空的。")))
            continue
        row, row_errors = _check(
            number, {"speaker": who, "question": question, "answer": body, "asked_by": asked_by}, speakers
        )
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
        if len(errors) >= MAX_ERRORS:
            break
    if paragraphs and paragraphs[-1][1] == "q":
        errors.append(RowError(paragraphs[-1][0], "answer", _("这个问题后面没有回答。")))
    if len(rows) > MAX_ROWS:
        errors.append(RowError(0, "", _("问答不能超过 %(n)d 条。") % {"n": MAX_ROWS}))
    if errors:
        raise TranscriptError(errors[:MAX_ERRORS])
    return rows
