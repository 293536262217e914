"""The English translation is complete, compiled, and actually used when a visitor chooses English."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE_DIR = Path(__file__).resolve().parent.parent / "gongkai" / "locale"
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")

# Navigation and label words of the public portal; record content may stay Chinese.
PORTAL_CHINESE_UI = [
    "首页",
    "公开指南",
    "公开目录",
    "机构设置",
    "咨询方式",
    "跳到正文",
    "大字版",
    "工作人员登录",
]
PORTAL_ENGLISH_UI = ["Home", "Disclosure guide", "Disclosure catalog", "Contact us", "Large text"]


def parse_po(path: Path) -> list[dict]:
    """A deliberately small .po reader: msgid, msgid_plural, msgstr / msgstr[n] and flags per entry."""
    entries: list[dict] = []
    entry: dict = {}
    key = None

    def finish() -> None:
        nonlocal entry, key
        if "msgid" in entry:
            entries.append(entry)
        entry, key = {}, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):  # obsolete entry: not used at run time
            continue
        if line.startswith("#,"):
            if "msgid" in entry:
                finish()
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if match:
            key, text = match.group(1), match.group(2)
            if key in {"msgid", "msgctxt"} and "msgstr" in entry:
                finish()
                key = match.group(1)
            entry[key] = ast.literal_eval(text)
            if key.startswith("msgstr"):
                entry.setdefault("msgstr", "")
                entry.setdefault("msgstrs", {})[key] = entry[key]
            continue
        assert line.startswith('"') and key, f"unexpected line in {path.name}: {raw!r}"
        entry[key] += ast.literal_eval(line)
        if key.startswith("msgstr"):
            entry["msgstrs"][key] = entry[key]
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    assert PO_FILE.exists(), "run: gongkai makemessages -l en"
    return [e for e in parse_po(PO_FILE) if e["msgid"]]  # skip the header entry


def test_po_file_has_strings_from_code_and_templates():
    text = PO_FILE.read_text(encoding="utf-8")
    assert re.search(r"^#: gongkai/\S+\.py:\d+", text, re.M)
    assert re.search(r"^#: gongkai/\S+/templates/\S+\.html:\d+", text, re.M)


def test_every_string_is_translated_and_not_fuzzy(po_entries):
    assert len(po_entries) > 100
    untranslated = [e["msgid"] for e in po_entries if any(not s.strip() for s in e["msgstrs"].values())]
    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e.get("flags", set())]
    assert untranslated == [], f"{len(untranslated)} untranslated: {untranslated[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"
    assert "fuzzy" not in PO_FILE.read_text(encoding="utf-8").split('msgid ""', 1)[0]


def test_plural_entries_have_both_forms(po_entries):
    for e in po_entries:
        if "msgid_plural" in e:
            assert set(e["msgstrs"]) == {"msgstr[0]", "msgstr[1]"}, e["msgid"]


def test_placeholders_are_kept(po_entries):
    for e in po_entries:
        expected = sorted(set(PLACEHOLDER.findall(e["msgid"])))
        for form, text in e["msgstrs"].items():
            assert sorted(set(PLACEHOLDER.findall(text))) == expected, (e["msgid"], form, text)


def test_english_is_not_chinese(po_entries):
    """No Chinese left in the English text, except document-number examples (吉公发〔2015〕12号) and
    Chinese input words such as import column names, which always come with an English gloss."""
    kept_chinese = re.compile(
        r"[\u4e00-\u9fff]+〔\d{4}〕\d+号|〔year〕serial号|〔〕|[\u4e00-\u9fff]+ \([a-z ]+\)|\([\u4e00-\u9fff]+\)"
    )
    for e in po_entries:
        for text in e["msgstrs"].values():
            assert not re.search(r"[\u4e00-\u9fff]", kept_chinese.sub("", text)), (e["msgid"], text)


def test_compiled_mo_matches_po(po_entries):
    """The committed .mo is up to date, so a machine without msgfmt still gets English."""
    assert MO_FILE.exists(), "run: gongkai compilemessages --ignore=.venv"
    with MO_FILE.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    for e in po_entries:
        if "msgid_plural" in e:
            assert catalog.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstrs"]["msgstr[0]"]
            assert catalog.ngettext(e["msgid"], e["msgid_plural"], 2) == e["msgstrs"]["msgstr[1]"]
        elif "msgctxt" in e:
            assert catalog.pgettext(e["msgctxt"], e["msgid"]) == e["msgstr"], (e["msgctxt"], e["msgid"])
        else:
            assert catalog.gettext(e["msgid"]) == e["msgstr"], e["msgid"]


def _choose_english(client) -> None:
    response = client.post("/preferences/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["gk_lang"].value == "en"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/catalog/", "/catalog/search/?q=test"])
def test_portal_pages_in_english(client, url):
    _choose_english(client)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert response.headers["Content-Language"] == "en"
    for word in PORTAL_ENGLISH_UI:
        assert word in html, word
    for word in PORTAL_CHINESE_UI:
        assert word not in html, word


@pytest.mark.django_db
def test_catalog_labels_in_english(client):
    _choose_english(client)
    html = client.get("/catalog/").content.decode()
    for word in ["Topic category", "Filter", "All years", "All departments"]:
        assert word in html, word
    for word in ["主题分类", "筛选", "全部年份", "全部部门"]:
        assert word not in html, word


@pytest.mark.django_db
def test_portal_is_chinese_by_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="zh-CN">' in html
    assert "公开指南" in html
    assert "Disclosure guide" not in html


@pytest.mark.django_db
def test_switching_back_to_chinese(client):
    _choose_english(client)
    client.post("/preferences/", {"language": "zh-hans", "next": "/"})
    html = client.get("/").content.decode()
    assert "公开指南" in html
    assert "Disclosure guide" not in html


@pytest.mark.django_db
def test_staff_login_page_in_english(client):
    _choose_english(client)
    html = client.get("/accounts/login/").content.decode()
    assert "Staff login" in html
    assert "工作人员登录" not in html


@pytest.mark.django_db
def test_workbench_in_english(client, reviewer):
    client.force_login(reviewer)
    _choose_english(client)
    html = client.get("/workbench/").content.decode()
    assert '<html lang="en">' in html
    for word in ["Workbench", "Overview", "Records", "New record", "Review queue", "My drafts", "Log out"]:
        assert word in html, word
    for word in ["工作台", "概览", "信息管理", "新建信息", "审核队列", "我的草稿", "退出"]:
        assert word not in html, word


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "english", "chinese"),
    [
        ("/apply/", "Apply for government information disclosure", "申请政府信息公开"),
        ("/apply/status/", "Check application progress", "查询申请办理进度"),
    ],
)
def test_disclosure_on_request_pages_in_english(client, url, english, chinese):
    _choose_english(client)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert english in html
    assert chinese not in html
    assert "公开指南" not in html
