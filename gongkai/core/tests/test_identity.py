"""The resident identity number checker (GB 11643-1999): length, digits, birth date, check character."""

from __future__ import annotations

import pytest

from gongkai.core.identity import resident_id_check_char, resident_id_error


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("22010219800101123", "应为18位"),
        ("2201021980010112A4", "前17位应为数字"),
        ("220102198013011234", "出生日期不正确"),
        ("220102198001011235", "校验位不符"),
    ],
)
def test_it_says_what_is_wrong_with_a_resident_identity_number(value, message):
    assert message in (resident_id_error(value) or "")


@pytest.mark.parametrize("value", ["220102198001011234", "11010519491231002X"])
def test_it_accepts_a_right_number(value):
    assert resident_id_error(value) is None


def test_it_counts_the_characters_typed():
    assert "您填写了19位" in (resident_id_error("2201021980010112345") or "")


def test_it_computes_the_check_character_x():
    assert resident_id_check_char("11010519491231002") == "X"


def test_a_lower_case_x_is_not_a_check_character():
    """Callers upper-case first (the form normalises); the checker itself is strict."""
    assert resident_id_error("11010519491231002x") is not None
