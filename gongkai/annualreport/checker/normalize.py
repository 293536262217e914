"""Folding OCR damage away, and reading the numbers and dates of Chinese text.

`fold` maps each character to its NFKC form when that is one character (full-width digits, letters
and punctuation, the Kangxi radicals U+2F00–U+2FD5), and the CJK Radicals Supplement characters that
stand for a whole character (NFKC leaves most of them alone) to that character. It never changes the
length of the text, so an offset in the folded text is the same offset in the original: findings
quote what the report actually printed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

# CJK Radicals Supplement forms that OCR and some PDF fonts emit for the character itself (the
# Unicode EquivalentUnifiedIdeograph data); NFKC only maps U+2E9F and U+2EF3.
RADICALS = {
    "⺁": "厂",
    "⺇": "几",
    "⺌": "小",
    "⺍": "小",
    "⺎": "兀",
    "⺏": "尢",
    "⺐": "尢",
    "⺒": "巳",
    "⺓": "幺",
    "⺔": "彐",
    "⺖": "忄",
    "⺗": "心",
    "⺘": "扌",
    "⺙": "攵",
    "⺛": "旡",
    "⺝": "月",
    "⺟": "母",
    "⺠": "民",
    "⺡": "氵",
    "⺢": "水",
    "⺣": "灬",
    "⺤": "爫",
    "⺦": "丬",
    "⺧": "牛",
    "⺨": "犭",
    "⺩": "王",
    "⺪": "疋",
    "⺫": "目",
    "⺬": "示",
    "⺭": "礻",
    "⺮": "竹",
    "⺯": "糸",
    "⺰": "纟",
    "⺲": "罒",
    "⺳": "网",
    "⺶": "羊",
    "⺷": "羊",
    "⺸": "羊",
    "⺹": "耂",
    "⺺": "肀",
    "⺻": "聿",
    "⺼": "月",
    "⺽": "臼",
    "⺾": "艹",
    "⺿": "艹",
    "⻀": "艹",
    "⻁": "虎",
    "⻂": "衤",
    "⻃": "覀",
    "⻄": "西",
    "⻅": "见",
    "⻆": "角",
    "⻇": "角",
    "⻈": "讠",
    "⻉": "贝",
    "⻊": "足",
    "⻋": "车",
    "⻌": "辶",
    "⻍": "辶",
    "⻎": "辶",
    "⻏": "阝",
    "⻐": "钅",
    "⻑": "長",
    "⻒": "镸",
    "⻓": "长",
    "⻔": "门",
    "⻕": "阝",
    "⻖": "阝",
    "⻗": "雨",
    "⻘": "青",
    "⻙": "韦",
    "⻚": "页",
    "⻛": "风",
    "⻜": "飞",
    "⻝": "食",
    "⻞": "食",
    "⻟": "食",
    "⻠": "饣",
    "⻡": "首",
    "⻢": "马",
    "⻣": "骨",
    "⻤": "鬼",
    "⻥": "鱼",
    "⻦": "鸟",
    "⻧": "卤",
    "⻨": "麦",
    "⻩": "黄",
    "⻪": "黾",
    "⻫": "斉",
    "⻬": "齐",
    "⻭": "歯",
    "⻮": "齿",
    "⻯": "竜",
    "⻰": "龙",
    "⻱": "龜",
    "⻲": "亀",
    "⻳": "龟",
}
# Dashes and minus signs that stand between dates or for an empty cell.
DASHES = {"—": "-", "–": "-", "―": "-", "－": "-", "−": "-", "～": "~", "〜": "~"}


class _FoldTable(dict[int, str]):
    """str.translate table filled on demand: each character is looked at once per process."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = RADICALS.get(char) or DASHES.get(char) or unicodedata.normalize("NFKC", char)
        if len(folded) != 1:
            folded = char
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """The text with OCR and full-width forms folded; same length as `text`."""
    if text.isascii():
        return text
    return text.translate(_TABLE)


# --- Chinese numerals -------------------------------------------------------------------------

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_CHARS = "零〇○一二两三四五六七八九十百千万亿"


def cn_to_int(text: str) -> int | None:
    """二十 → 20, 一百一十 → 110, 二〇一五 → 2015 (digit by digit), 万 → 10000; None if not a numeral."""
    if not text or any(char not in CN_CHARS for char in text):
        return None
    if all(char in CN_DIGITS for char in text):
        if len(text) == 1:
            return CN_DIGITS[text]
        return int("".join(str(CN_DIGITS[char]) for char in text))
    total = section = digit = 0
    for char in text:
        if char in CN_DIGITS:
            digit = CN_DIGITS[char]
        elif char in CN_SMALL:
            section += (digit or 1) * CN_SMALL[char]
            digit = 0
        else:
            section += digit
            total += (section or 1) * CN_BIG[char]
            section = digit = 0
    return total + section + digit


# --- numbers with their measure word ------------------------------------------------------------

UNITS = (
    "个百分点",
    "人次",
    "万元",
    "亿元",
    "件次",
    "场次",
    "%",
    "件",
    "项",
    "场",
    "条",
    "次",
    "个",
    "人",
    "家",
    "篇",
    "份",
    "期",
    "类",
    "起",
    "元",
    "部",
    "批",
    "户",
    "名",
    "张",
    "册",
    "套",
    "处",
    "宗",
    "例",
    "封",
    "幅",
    "组",
    "档",
    "台",
    "所",
    "栏",
)
_UNIT_RE = "|".join(re.escape(unit) for unit in UNITS)
APPROX_BEFORE = ("约", "近", "大约", "超过", "逾", "接近", "将近", "近乎", "上")
NUMBER_RE = re.compile(
    r"(?P<num>\d+(?:,\d{3}(?!\d))*(?:\.\d+)?|[零〇○一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?)"
    r"\s?(?P<mult>万|亿)?(?P<more>余|多)?\s?(?P<unit>" + _UNIT_RE + r")"
    r"|百分之(?P<cnpct>[零〇一二三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)"
)


@dataclass(frozen=True)
class Number:
    """A number the text states, with its measure word (unit; "%" for a percentage)."""

    value: Decimal
    unit: str
    start: int  # offsets of the whole token (number and unit) in the paragraph
    end: int
    approx: bool = False
    decimals: int = 0  # digits after the point, as printed (for rounding a percentage)
    shown: str = ""  # the number as a statement shows it: "35.2万", "20" (for 二十)

    @property
    def text(self) -> str:
        return self.shown or format_number(self.value)


def _cn_decimal(text: str) -> tuple[Decimal, int] | None:
    whole, _, frac = text.partition("点")
    number = cn_to_int(whole) if whole else 0
    if number is None:
        return None
    if not frac:
        return Decimal(number), 0
    digits = "".join(str(CN_DIGITS[char]) for char in frac)
    return Decimal(f"{number}.{digits}"), len(digits)


def numbers(text: str) -> list[Number]:
    """Every number with a measure word in `text` (folded), skipping ordinals (第二十条)."""
    found: list[Number] = []
    for match in NUMBER_RE.finditer(text):
        start = match.start()
        if start and text[start - 1] == "第":
            continue
        if match.group("cnpct"):
            parsed = _cn_decimal(match.group("cnpct"))
            if parsed is None:
                continue
            value, decimals = parsed
            found.append(Number(value, "%", start, match.end(), decimals=decimals))
            continue
        raw = match.group("num")
        if raw[0].isdigit():
            if start and (text[start - 1].isdigit() or text[start - 1] == "."):
                continue
            value = Decimal(raw.replace(",", ""))
            decimals = len(raw.partition(".")[2])
        else:
            parsed = _cn_decimal(raw)
            if parsed is None:
                continue
            value, decimals = parsed
        shown = raw if raw[0].isdigit() else format_number(value)
        if match.group("mult"):
            value *= CN_BIG[match.group("mult")]
            shown += match.group("mult")
            decimals = 0
        approx = bool(match.group("more")) or text[max(0, start - 2) : start].endswith(APPROX_BEFORE)
        end = match.end()
        if text.startswith(("以上", "左右", "余"), end):
            approx = True
        found.append(Number(value, match.group("unit"), start, end, approx, decimals, shown))
    return found


def format_number(value: Decimal | int) -> str:
    """20 → "20", Decimal("35.70") → "35.7"."""
    if isinstance(value, int):
        return str(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# --- dates --------------------------------------------------------------------------------------

_Y = r"(?P<{0}y>\d{{4}}|[〇零○一二三四五六七八九]{{4}})\s*年\s*"
_MD = r"(?P<{0}m>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月\s*(?P<{0}d>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*[日号]"
DATE_RE = re.compile("(?:" + _Y.format("") + ")?" + _MD.format(""))
RANGE_RE = re.compile(
    "(?:" + _Y.format("a") + ")?" + _MD.format("a") + r"\s*(?:起|开始)?\s*(?:至|到|-|~|—|止于)\s*"
    "(?:" + _Y.format("b") + ")?" + _MD.format("b")
)


def _part(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) if text.isdigit() else cn_to_int(text)


@dataclass(frozen=True)
class DateRange:
    start_year: int | None
    start_month: int
    start_day: int
    end_year: int | None
    end_month: int
    end_day: int
    start: int  # offsets in the paragraph
    end: int

    def dates(self, year: int | None) -> tuple[dt.date | None, dt.date | None]:
        """The two dates, a missing year taken as `year`; None for a date that does not exist."""

        def make(y: int | None, m: int, d: int) -> dt.date | None:
            if y is None:
                return None
            try:
                return dt.date(y, m, d)
            except ValueError:
                return None

        return (
            make(self.start_year or year, self.start_month, self.start_day),
            make(self.end_year or self.start_year or year, self.end_month, self.end_day),
        )


def date_ranges(text: str) -> list[DateRange]:
    found = []
    for match in RANGE_RE.finditer(text):
        parts = [_part(match.group(name)) for name in ("ay", "am", "ad", "by", "bm", "bd")]
        ay, am, ad, by, bm, bd = parts
        if None in (am, ad, bm, bd):
            continue
        assert am is not None and ad is not None and bm is not None and bd is not None
        found.append(DateRange(ay, am, ad, by, bm, bd, match.start(), match.end()))
    return found


YEAR_RE = re.compile(r"(?P<y>(?:19|20)\d{2}|[二][〇零○][〇零○一二三四五六七八九]{2})\s*年\s*(?:度)?")


def year_of(text: str) -> int | None:
    match = YEAR_RE.search(text)
    if not match:
        return None
    return _part(match.group("y"))
