"""Nothing unpublished, nothing of another department and no applicant's personal data leaks: unique
markers are planted (through the services) in a draft and a withdrawn record, an attachment's
extracted text, a power item draft, a press conference draft, an inquiry held for the office and a
private one, an application's personal data and an annual report draft passage; then every public
route, every page linked from them (feeds, sitemap sections, attachments, downloads), the API and
the searches (with each marker as the query) are fetched as an anonymous visitor, the workbench as
an editor of another department, and the log records written meanwhile are read. No body (PDF,
DOCX and XLSX read as text too) and no log record may show a marker it must not. Then both post to
every staff move of those objects, with and without a CSRF token: refused, nothing shown or changed."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import secrets
import subprocess
import tempfile
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.url_world import PDF, RECEIVED, World, build_world, route_names

pytestmark = pytest.mark.xdist_group("url_world")

LINK_RE = re.compile(r"""(?:href|src)\s*=\s*["']([^"'#]+)|<loc>\s*([^<\s]+)\s*</loc>""")
MAX_CRAWL = 700
# A withdrawn record's own address keeps its withdrawal notice (410, with its name: docs/workflows.md,
# docs/api.md); nothing else may show it.
ALLOWED = {"withdrawn record name": lambda url, status: status == 410}


def token() -> str:
    return f"ZZLEAK{secrets.token_hex(5)}"


def digits(n: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(n))


def id_number() -> str:
    """A resident identity number with a valid GB 11643 check digit (random serial)."""
    body = f"220102198{digits(1)}0{secrets.choice('123456789')}1{digits(1)}{digits(3)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def text_of(response: Any) -> str:
    """The body as text: decoded, and for PDF, DOCX and XLSX the extracted text besides."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    parts = [raw.decode("utf-8", "replace")]
    if raw.startswith(b"%PDF") or "pdf" in kind:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(raw)
            handle.flush()
            done = subprocess.run(
                ["pdftotext", "-q", handle.name, "-"], capture_output=True, timeout=30, check=False
            )
            parts.append(done.stdout.decode("utf-8", "replace"))
    elif raw.startswith(b"PK"):
        try:
            if "spreadsheet" in kind or b"xl/" in raw[:2000]:
                import openpyxl

                book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
                for sheet in book.worksheets:
                    for row in sheet.iter_rows(values_only=True):
                        parts.append(" ".join(str(v) for v in row if v is not None))
            else:
                import docx

                document = docx.Document(io.BytesIO(raw))
                parts.extend(p.text for p in document.paragraphs)
                for table in document.tables:
                    parts.extend(cell.text for row in table.rows for cell in row.cells)
        except Exception as exc:  # an unreadable file is reported, not a leak
            parts.append(f"<unreadable {exc}>")
    return "\n".join(parts)


def links_in(body: str) -> list[str]:
    found = []
    for href, loc in LINK_RE.findall(body):
        address = (href or loc).replace("&amp;", "&")
        parts = urlsplit(address)
        if parts.scheme and parts.netloc not in {"testserver", "example.com", "localhost"}:
            continue
        if not parts.path.startswith("/"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


class Sweep:
    """Fetches addresses, reads every body and keeps what showed which marker."""

    def __init__(self, client: Client, markers: dict[str, str], expected: dict[str, str]) -> None:
        self.client, self.markers, self.expected = client, markers, expected
        self.hits: dict[str, set[str]] = {label: set() for label in expected}
        self.seen: set[str] = set()
        self.bodies = 0
        self.leaks: list[str] = []
        self.statuses: Counter[int] = Counter()

    def get(self, url: str) -> tuple[int, str]:
        response = self.client.get(url)
        self.statuses[response.status_code] += 1
        if response.status_code in {301, 302}:
            return response.status_code, ""
        self.bodies += 1
        return response.status_code, text_of(response)

    def fetch(self, url: str) -> str:
        self.seen.add(url)
        status, body = self.get(url)
        lowered = body.lower()
        for label, marker in self.expected.items():
            if status == 200 and marker.lower() in lowered and f"q={marker}" not in url:
                self.hits[label].add(url)
        for label, marker in self.markers.items():
            found = lowered.count(marker.lower())
            if found and f"q={marker}" in url:
                # A search shows its query back: the marker leaks only if it is found more often
                # than an unplanted token of the same shape is, asked the same way.
                control = token() if marker.lower().startswith("zzleak") else digits(len(marker))
                found -= self.get(url.replace(marker, control))[1].lower().count(control.lower())
            if found > 0 and not ALLOWED.get(label, lambda _u, _s: False)(url, status):
                self.leaks.append(f"{label} ({marker}) in {url} [{status}]")
        return body

    def crawl(self, start: list[str], skip: tuple[str, ...]) -> None:
        queue = list(dict.fromkeys(start))
        while queue and len(self.seen) < MAX_CRAWL:
            url = queue.pop(0)
            if url in self.seen:
                continue
            body = self.fetch(url)
            for link in links_in(body):
                if link not in self.seen and not link.startswith(skip):
                    queue.append(link)


def plant(world: World) -> dict[str, dict[str, str]]:
    """Markers in objects nobody outside their department (or nobody at all) may read."""
    from django.contrib.auth import get_user_model

    from gongkai.annualreport import services as annualreport
    from gongkai.catalog import services as catalog
    from gongkai.catalog.models import AttachmentText, Category
    from gongkai.catalog.search import index_records
    from gongkai.engagement import services as engagement
    from gongkai.inforequests import services as inforequests
    from gongkai.powers import services as powers
    from gongkai.pressroom import services as pressroom

    editor, reviewer = world.people["editor"], world.people["reviewer"]
    home = world.departments["exit_entry"]
    drafts: dict[str, str] = {}  # unpublished: no one outside the home department sees them
    personal: dict[str, str] = {}  # personal data: never public, never logged

    def mark(table: dict[str, str], label: str, value: str | None = None) -> str:
        table[label] = value or token()
        return table[label]

    record_data = {
        "formed_on": dt.date(2015, 6, 1),
        "issuer": "吉林省公安厅",
        "doc_number": "吉公通〔2015〕99号",
        "category": Category.objects.get(code="policy-rules"),
        "genre": "circular",
        "keywords": "签证",
        "department": home,
    }
    draft = catalog.do_create_record(
        {
            **record_data,
            "name": f"草稿{mark(drafts, 'draft record name')}",
            "summary": f"摘要{mark(drafts, 'draft record summary')}",
            "body": f"<p>正文{mark(drafts, 'draft record body')}</p>",
        },
        actor=editor,
    )
    attachment = catalog.do_add_attachment(
        draft, catalog.UploadedFile("draft.pdf", PDF), actor=editor, expected_version=draft.version
    )
    AttachmentText.objects.update_or_create(
        attachment=attachment,
        defaults={
            "record": draft,
            "state": AttachmentText.State.DONE,
            "text": f"附件文字{mark(drafts, 'draft attachment text')}",
            "extracted_at": timezone.now(),
        },
    )
    withdrawn = catalog.do_create_record(
        {
            **record_data,
            "doc_number": "吉公通〔2015〕98号",
            "name": f"撤回{mark(drafts, 'withdrawn record name')}",
            "summary": f"摘要{mark(drafts, 'withdrawn record summary')}",
            "body": "<p>正文</p>",
        },
        actor=editor,
    )
    withdrawn = catalog.do_submit_record(withdrawn, actor=editor, expected_version=withdrawn.version)
    withdrawn = catalog.do_approve_record(withdrawn, actor=reviewer, expected_version=withdrawn.version)
    withdrawn = catalog.do_publish_record(withdrawn, actor=reviewer, expected_version=withdrawn.version)
    withdrawn = catalog.do_withdraw_record(
        withdrawn, actor=reviewer, reason="误发", expected_version=withdrawn.version
    )
    draft.refresh_from_db()
    # Controls, which must be found (else the sweep is blind): a published record, and a draft of
    # the other department, which its own editor sees in the workbench.
    shown: dict[str, str] = {}
    public = catalog.do_create_record(
        {
            **record_data,
            "doc_number": "吉公通〔2015〕97号",
            "name": f"公开{mark(shown, 'published record name')}",
            "summary": "摘要",
            "body": "<p>正文</p>",
        },
        actor=editor,
    )
    public = catalog.do_submit_record(public, actor=editor, expected_version=public.version)
    public = catalog.do_approve_record(public, actor=reviewer, expected_version=public.version)
    public = catalog.do_publish_record(public, actor=reviewer, expected_version=public.version)
    catalog.do_create_record(
        {
            **record_data,
            "doc_number": "吉公通〔2015〕96号",
            "department": world.departments["traffic"],
            "name": f"本部门草稿{mark(shown, 'own department draft name')}",
            "summary": "摘要",
            "body": "<p>正文</p>",
        },
        actor=world.people["other_editor"],
    )
    index_records([draft, withdrawn, public])

    power = powers.do_create_item(
        {
            "list_kind": "approvals",
            "category": "licensing",
            "code": "LEAK-CRJ-009",
            "name": f"事项{mark(drafts, 'power draft name')}",
            "legal_basis": "《中华人民共和国护照法》第五条",
            "department": home,
            "level": "province",
            "conditions": f"条件{mark(drafts, 'power draft conditions')}",
            "statutory_days": 15,
            "promised_days": 7,
            "materials": [{"name": "居民身份证", "form": "both", "copies": 1, "note": ""}],
            "steps": [
                {
                    "number": 1,
                    "name": "受理",
                    "post": "窗口",
                    "time_limit": "即时",
                    "next_steps": "",
                    "basis": "",
                }
            ],
        },
        set_on=dt.date(2004, 7, 1),
        set_document="吉政发〔2004〕1号",
        actor=editor,
    )
    conference = pressroom.do_create_conference(
        {
            "title": f"发布会{mark(drafts, 'conference draft title')}",
            "held_on": dt.date(2015, 3, 18),
            "host": "agency",
            "venue": f"会场{mark(drafts, 'conference draft venue')}",
            "topics": f"议题{mark(drafts, 'conference draft topic')}",
            "department": home,
            "speakers": [{"name": "金明", "post": "副局长", "organisation": "出入境管理局"}],
        },
        actor=editor,
    )

    held_phone = mark(personal, "held inquiry phone", f"139{digits(8)}")
    held, _code = engagement.do_submit_inquiry(
        {
            "kind": "inquiry",
            "topic": "exit_entry",
            "wants_public": True,
            "asker_name": f"问{mark(personal, 'held inquiry asker name')}",
            "phone": held_phone,
            "email": mark(personal, "held inquiry e-mail", f"{token().lower()}@example.com"),
            "title": f"问题{mark(drafts, 'held inquiry title')}",
            # A phone number in the public text holds the inquiry for the office.
            "question": f"请回电{held_phone}，{mark(drafts, 'held inquiry question')}",
        }
    )
    assert held.held, held.status  # the sweep needs an inquiry held for the office
    private, _code = engagement.do_submit_inquiry(
        {
            "kind": "inquiry",
            "topic": "exit_entry",
            "wants_public": False,
            "asker_name": f"问{mark(personal, 'private inquiry asker name')}",
            "phone": mark(personal, "private inquiry phone", f"139{digits(8)}"),
            "email": mark(personal, "private inquiry e-mail", f"{token().lower()}@example.com"),
            "title": f"问题{mark(drafts, 'private inquiry title')}",
            "question": f"请问{mark(drafts, 'private inquiry question')}",
        }
    )
    private = engagement.do_route_inquiry(private, home, actor=reviewer, version=private.version)

    # Published: its question and answer are public, never who asked it.
    answered, _code = engagement.do_submit_inquiry(
        {
            "kind": "inquiry",
            "topic": "exit_entry",
            "wants_public": True,
            "asker_name": f"问{mark(personal, 'published inquiry asker name')}",
            "phone": mark(personal, "published inquiry phone", f"137{digits(8)}"),
            "email": mark(personal, "published inquiry e-mail", f"{token().lower()}@example.com"),
            "title": f"公开问题{mark(shown, 'published inquiry title')}",
            "question": "请问办理签注需要多久？",
        }
    )
    answered = engagement.do_route_inquiry(answered, home, actor=reviewer, version=answered.version)
    answered = engagement.do_answer_inquiry(answered, "七个工作日。", actor=editor, version=answered.version)
    answered = engagement.do_publish_inquiry(
        answered,
        public_question=answered.question,
        public_answer=answered.answer,
        actor=reviewer,
        version=answered.version,
    )

    # An event question waiting for its moderator, and a proposal registered but not disclosed.
    engagement.do_ask_question(
        world.objects["engagement_event"],
        f"网友{mark(drafts, 'pending event question nickname')}",
        f"请问{mark(drafts, 'pending event question text')}",
    )
    engagement.do_register_proposal(
        {
            "kind": "npc",
            "number": "LEAK-1",
            "title": f"建议{mark(drafts, 'undisclosed proposal title')}",
            "proposer": f"代表{mark(drafts, 'undisclosed proposal proposer')}",
            "lead_department": home,
            "co_departments": [],
            "received_on": timezone.localdate() - dt.timedelta(days=30),
            "due_on": timezone.localdate() + dt.timedelta(days=60),
        },
        actor=reviewer,
    )

    application, code = inforequests.do_submit_application(
        {
            "applicant_kind": "natural_person",
            "applicant_name": f"申{mark(personal, 'applicant name')}",
            "id_type": "居民身份证",
            "id_number": mark(personal, "applicant identity number", id_number()),
            "phone": mark(personal, "applicant phone", f"138{digits(8)}"),
            "email": mark(personal, "applicant e-mail", f"{token().lower()}@example.com"),
            "address": f"长春市{mark(personal, 'applicant address')}",
            "information_title": f"申请{mark(drafts, 'application request title')}",
            "description": f"描述{mark(drafts, 'application request text')}",
            "form_wanted": "electronic",
            "delivery": "email",
        },
        channel="online",
        received_on=RECEIVED,
    )
    application = inforequests.do_accept_application(
        application, actor=reviewer, expected_version=application.version
    )
    inforequests.do_assign_application(
        application,
        departments=[home],
        due_on=timezone.localdate() + dt.timedelta(days=30),
        instructions="请办理",
        actor=reviewer,
        expected_version=application.version,
    )

    report = world.objects["annual_report"]
    office_editor = get_user_model().objects.get(username="url_annualreport_office_editor")
    passage = next(iter(report.drafted().passages()))
    annualreport.do_save_edits(
        report,
        passages={passage.key: f"草稿段落{mark(drafts, 'annual report draft passage')}"},
        actor=office_editor,
        expected_version=report.version,
    )
    world.objects.update(
        leak_draft=draft,
        leak_withdrawn=withdrawn,
        leak_power=power,
        leak_conference=conference,
        leak_held=held,
        leak_private=private,
        leak_application=application,
        leak_code=code,
    )
    return {"drafts": drafts, "personal": personal, "shown": shown}


@pytest.fixture
def world(departments, tmp_path, settings) -> World:
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_CACHE_SECONDS = 0
    settings.RATE_LIMITS = {name: (10**6, 600) for name in settings.RATE_LIMITS}
    return build_world(departments, tmp_path)


def public_starts(world: World, markers: list[str]) -> list[str]:
    """Every public route at the world's objects, the marker objects' own addresses, and the
    searches with each marker as the query."""
    names = [n for n in route_names() if not n.startswith(("workbench:", "accounts:"))]
    urls = [world.url(n) for n in names]
    o = world.objects
    urls += [
        reverse("catalog:record", kwargs={"index_number": o["leak_withdrawn"].index_number}),
        reverse("api-v1:record", kwargs={"index_number": o["leak_withdrawn"].index_number}),
        reverse("powers:item", kwargs={"code": o["leak_power"].code}),
        reverse("api-v1:power", kwargs={"code": o["leak_power"].code}),
        reverse("pressroom:conference", kwargs={"pk": o["leak_conference"].pk}),
        reverse("engagement:answer", kwargs={"number": o["leak_held"].number}),
        reverse("engagement:answer", kwargs={"number": o["leak_private"].number}),
        reverse(
            "inforequests:status_result", kwargs={"tracking_number": o["leak_application"].tracking_number}
        ),
        reverse("inforequests:receipt", kwargs={"tracking_number": o["leak_application"].tracking_number}),
        reverse("api-v1:application", kwargs={"tracking_number": o["leak_application"].tracking_number}),
    ]
    if o["leak_draft"].index_number:
        urls.append(reverse("catalog:record", kwargs={"index_number": o["leak_draft"].index_number}))
    searches = ["catalog:search", "powers:search", "api-v1:search", "api-v1:records", "api-v1:powers"]
    for marker in markers:
        urls += [f"{reverse(name)}?q={marker}" for name in searches]
        urls.append(f"{reverse('engagement:answers')}?q={marker}")
    return urls


STAFF_SEARCHED = [
    "workbench:records",
    "workbench:powers_staff:list",
    "workbench:pressroom_staff:list",
    "workbench:engagement_staff:inquiries",
    "workbench:inforequests_staff:queue",
    "workbench:inforequests_staff:register",
    "workbench:dashboard",
]


def staff_starts(world: World, markers: list[str]) -> list[str]:
    """Every workbench route at the world's objects, the marker objects' own workbench pages, and
    the lists searched with each marker."""
    o = world.objects
    urls = [world.url(n) for n in route_names() if n.startswith("workbench:")]
    urls += [
        reverse("workbench:record", kwargs={"pk": o["leak_draft"].pk}),
        reverse("workbench:record", kwargs={"pk": o["leak_withdrawn"].pk}),
        reverse("workbench:powers_staff:detail", kwargs={"pk": o["leak_power"].pk}),
        reverse("workbench:pressroom_staff:detail", kwargs={"pk": o["leak_conference"].pk}),
        reverse("workbench:engagement_staff:inquiry", kwargs={"pk": o["leak_private"].pk}),
        reverse("workbench:engagement_staff:inquiry", kwargs={"pk": o["leak_held"].pk}),
        reverse("workbench:inforequests_staff:case", kwargs={"pk": o["leak_application"].pk}),
        *(
            reverse(
                "workbench:inforequests_staff:letter",
                kwargs={"pk": o["leak_application"].pk, "letter": "acknowledgement", "fmt": fmt},
            )
            for fmt in ["pdf", "docx"]
        ),
    ]
    for marker in markers:
        urls += [f"{reverse(name)}?q={marker}" for name in STAFF_SEARCHED]
    return urls


def test_no_marker_leaks(world, caplog):
    caplog.set_level(logging.INFO, logger="gongkai")
    planted = plant(world)
    drafts, personal = planted["drafts"], planted["personal"]
    everything = {**drafts, **personal}

    shown = planted["shown"]
    anonymous = Sweep(
        Client(raise_request_exception=False),
        everything,
        {label: shown[label] for label in ["published record name", "published inquiry title"]},
    )
    anonymous.crawl(
        public_starts(world, list(everything.values())), skip=("/workbench/", "/accounts/logout", "/static/")
    )

    # An editor of another department: none of the home department's drafts, none of the personal
    # data of a case not assigned to it, and its case page refused outright.
    other = Client(raise_request_exception=False)
    other.force_login(world.people["other_editor"])
    case = reverse("workbench:inforequests_staff:case", kwargs={"pk": world.objects["leak_application"].pk})
    assert other.get(case).status_code in {403, 404}
    staff = Sweep(other, everything, {"own department draft name": shown["own department draft name"]})
    staff.crawl(staff_starts(world, list(everything.values())), skip=("/accounts/logout", "/static/"))

    logged = [
        f"{label} in log {record.name}: {record.getMessage()[:200]}"
        for record in caplog.records
        for label, marker in personal.items()
        if marker.lower() in f"{record.getMessage()} {getattr(record, '__dict__', {})}".lower()
    ]

    urls = len(anonymous.seen) + len(staff.seen)
    bodies = anonymous.bodies + staff.bodies
    print(
        f"\nleak sweep: {len(everything)} markers planted ({len(drafts)} unpublished, {len(personal)} personal),"
        f" {urls} URLs probed ({len(anonymous.seen)} anonymous, {len(staff.seen)} other department),"
        f" {bodies} bodies scanned, {len(caplog.records)} log records read;"
        f" statuses anonymous {dict(anonymous.statuses)}, other {dict(staff.statuses)}"
    )
    # Floors under the figures of the first run (36 markers, 344 + 472 addresses, 1127 bodies).
    assert len(everything) >= 30
    assert len(anonymous.seen) >= 300
    assert len(staff.seen) >= 400
    assert bodies >= 1000
    published_at = anonymous.hits["published record name"]
    assert any("/feed.atom" in url for url in published_at), published_at
    assert any(url.startswith("/api/v1/records") for url in published_at), published_at
    assert any(url.startswith("/catalog/r/") for url in published_at), published_at
    assert any(url.startswith("/interact/answers/") for url in anonymous.hits["published inquiry title"])
    public = shown["published record name"]
    for name in ["catalog:search", "api-v1:search"]:
        found = anonymous.get(f"{reverse(name)}?q={public}")[1].count(public)
        echoed = anonymous.get(f"{reverse(name)}?q={(control := token())}")[1].count(control)
        assert found > echoed, f"the search {name} does not find the published record"
    # The extraction reads files: the office sees the applicant's name in the case's letters.
    office = Client(raise_request_exception=False)
    office.force_login(world.people["reviewer"])
    for fmt in ["pdf", "docx"]:
        letter = office.get(
            reverse(
                "workbench:inforequests_staff:letter",
                kwargs={"pk": world.objects["leak_application"].pk, "letter": "acknowledgement", "fmt": fmt},
            )
        )
        assert letter.status_code == 200, (fmt, letter.status_code)
        assert personal["applicant name"] in text_of(letter).split("\n", 1)[-1], fmt
    assert "/workbench/records/" in staff.hits["own department draft name"], staff.hits
    assert not anonymous.leaks, "\n".join(anonymous.leaks[:40])
    assert not staff.leaks, "\n".join(staff.leaks[:40])
    assert not logged, "\n".join(logged[:40])


# -- POST probes: the doors of every staff move, tried from outside ----------------------------------


def _csrf_client(person: Any = None) -> tuple[Client, str]:
    """A client that enforces CSRF as a browser meets it, and the token a page of its own gave it."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if person is not None:
        client.force_login(person)
    client.get(reverse("workbench:dashboard") if person is not None else reverse("accounts:login"))
    return client, client.cookies["csrftoken"].value


def move_urls(world: World) -> dict[str, bool]:
    """Every route that changes state (the access matrix's POST routes) at the world's objects, and
    every move of a case and of a record at the planted case and draft of the home department;
    for each, whether the other department's editor is an outsider to it (not its own password,
    not a new draft of its own)."""
    from gongkai.inforequests.views.staff import MOVES
    from gongkai.inforequests.views.staff_fees import FEE_MOVES
    from tests.test_url_access_matrix import POST_ROUTES, ROUTES

    o = world.objects
    case, draft = o["leak_application"].pk, o["leak_draft"].pk
    urls = {
        world.url(name): "other_editor" not in (getattr(ROUTES[name], "post", None) or ())
        for name in POST_ROUTES
    }
    moves = [reverse("workbench:inforequests_staff:action", args=[case, name]) for name in MOVES]
    moves += [reverse("workbench:inforequests_staff:fee_action", args=[case, name]) for name in FEE_MOVES]
    moves += [
        reverse(name, kwargs={"pk": draft})
        for name in route_names()
        if name.startswith("workbench:record_") and name not in {"workbench:record_new"}
        if "attachment_download" not in name
    ]
    moves += [
        reverse("workbench:powers_staff:edit", kwargs={"pk": o["leak_power"].pk}),
        reverse("workbench:pressroom_staff:edit", kwargs={"pk": o["leak_conference"].pk}),
        reverse("workbench:engagement_staff:inquiry", kwargs={"pk": o["leak_private"].pk}),
    ]
    return {**urls, **dict.fromkeys(moves, True)}


def test_no_post_from_outside_changes_or_shows_anything(world):
    """Anonymous visitors and an editor of another department post to every staff move of the
    home department's case, draft and other objects, with and without a valid CSRF token: refused
    (403, 404, 405, a redirect to the login page or away), never a 500, never a page with what was
    planted, nothing changed."""
    from tests.test_url_access_matrix import _post_data, fingerprint

    planted = plant(world)
    everything = {**planted["drafts"], **planted["personal"]}
    urls = move_urls(world)
    anonymous, anonymous_token = _csrf_client()
    other, other_token = _csrf_client(world.people["other_editor"])
    probes, statuses, problems = 0, Counter[int](), []
    data = {**_post_data(world, "workbench:inforequests_staff:action"), "version": 1}
    for url, other_is_outsider in urls.items():
        outsiders = [("anonymous", anonymous, anonymous_token), ("other", other, other_token)]
        for who, client, csrf in outsiders if other_is_outsider else outsiders[:1]:
            for with_token in (False, True):
                before = fingerprint(world)
                response = client.post(url, {**data, **({"csrfmiddlewaretoken": csrf} if with_token else {})})
                probes += 1
                statuses[response.status_code] += 1
                status, location = response.status_code, response.get("Location", "")
                cell = f"POST {url} as {who}{' with token' if with_token else ''}: {status} {location}"
                body = text_of(response).lower() if status not in {301, 302} else ""
                if not with_token:
                    ok = status == 403  # the CSRF check comes first, whoever asks
                elif who == "anonymous":
                    ok = status in {403, 404, 405} or location.startswith("/accounts/login/")
                else:
                    # 400: a creation refused for its data (of no department yet) before its guard.
                    ok = status in {400, 403, 404, 405} or (
                        status == 302 and "/accounts/login/" not in location
                    )
                if not ok:
                    problems.append(cell)
                problems += [f"{cell} shows {label}" for label, m in everything.items() if m.lower() in body]
                if fingerprint(world) != before:
                    problems.append(f"{cell} changed something")
    print(
        f"\nPOST probes: {probes} ({len(urls)} move URLs × anonymous and another department's editor"
        f" × with and without a CSRF token); statuses {dict(statuses)}"
    )
    assert len(urls) >= 60
    assert not problems, "\n".join(problems[:40])
