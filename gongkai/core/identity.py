"""Identity numbers: the 18-character resident identity number (GB 11643-1999) checked for its
length, birth date and check character. Used by the online application and the engagement checks."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

# GB 11643-1999: 17 digits weighted 2^(17-i) mod 11, then a check character.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_RESIDENT_ID_RE = re.compile(r"^\d{17}[\dX]$")


def resident_id_check_char(first17: str) -> str:
    """The check character of the number whose first 17 digits are `first17`."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def resident_id_error(value: str) -> str | None:
    """Why an 18-character resident identity number (GB 11643) is wrong, or None if it is right."""
    if len(value) != 18:
        return _("居民身份证号码应为18位，您填写了%(n)d位。") % {"n": len(value)}
    if not _RESIDENT_ID_RE.match(value):
        return _("居民身份证号码前17位应为数字，最后一位为数字或字母X。")
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("居民身份证号码第7至14位的出生日期不正确，请核对。")
    if resident_id_check_char(value[:17]) != value[17]:
        return _("居民身份证号码校验位不符，请逐位核对是否填错。")
    return None
