"""Personal data shown in part (GB/T 35273 de-identification by masking): what a listing, a
department asked for its opinion or a leader sees of an applicant or an asker. One place for every
app (inforequests, engagement)."""

from __future__ import annotations


def mask_id(number: str) -> str:
    """Keep the first 4 and last 4 characters: 220102198001011234 → 2201**********1234."""
    number = number.strip()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(number: str) -> str:
    """Keep the first 3 and last 4 digits: 13900001234 → 139****1234."""
    number = number.strip()
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_name(name: str) -> str:
    """Keep the family name (first character) of a person: 张三丰 → 张**."""
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else name


def mask_email(email: str) -> str:
    local, sep, domain = email.partition("@")
    if not sep:
        return mask_name(email)
    return (local[:1] + "***" if local else "") + "@" + domain


def mask_text(text: str) -> str:
    """An address or other free text: only its first few characters."""
    text = text.strip()
    return text[:6] + "……" if len(text) > 6 else text
