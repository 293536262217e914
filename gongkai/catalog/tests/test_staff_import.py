"""The staff import page: progress streamed while the import runs, the report, no double import."""

from __future__ import annotations

import hashlib
import os
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import IntegrityError, close_old_connections

from gongkai.catalog import importer
from gongkai.catalog.models import Record
from gongkai.catalog.tests.test_import import bad_file, csv_bytes, row
from gongkai.catalog.views import staff_import
from gongkai.core.models import AuditEvent

URL = "/workbench/import/"


@pytest.fixture
def staff_client(client, reviewer, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(reviewer)
    return client


def upload(content, name="目录.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def streamed(response) -> list[str]:
    """The parts of a streamed page, as the browser receives them (this also runs the import)."""
    assert response.streaming
    return [part.decode() for part in response.streaming_content]


def staged_token(page: str) -> str:
    match = re.search(r'name="staged" value="([0-9a-f]{32})"', page)
    assert match, "no staged file on the page"
    return match.group(1)


def test_the_page_shows_the_upload_form(staff_client):
    response = staff_client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "批量导入目录" in page
    assert 'src="/static/catalog/import.js"' in page
    assert page.count("data-submit-once") == 1


def test_the_page_streams_its_top_then_progress_then_the_report(staff_client):
    response = staff_client.post(
        URL, {"file": upload(csv_bytes([row(), row(名称="第二条")])), "action": "import"}
    )

    assert response.status_code == 200
    assert response["X-Accel-Buffering"] == "no"
    assert response["Cache-Control"] == "no-store"
    parts = streamed(response)
    top, page = parts[0], "".join(parts)
    assert "<h1>批量导入目录</h1>" in top
    assert 'aria-live="polite"' in top
    assert "已导入" not in top
    assert Record.objects.count() == 2
    for stage in ["读取文件", "检查数据", "保存信息"]:
        assert f"<strong>{stage}</strong>" in page
    assert '<progress max="2" value="2">100%</progress>' in page
    assert "<style>#import-progress-1{display:none}</style>" in page
    assert "已导入 2 条信息" in page
    assert page.index("已导入 2 条信息") > page.index("<strong>保存信息</strong>")
    # The report replaces the last step and the "please wait" line.
    last = re.findall(r'id="import-progress-(\d+)"', page)[-1]
    assert f"<style>#import-progress-{last},#import-running{{display:none}}</style>" in page
    assert page.rstrip().endswith("</html>")


def test_a_quiet_stage_still_sends_something_now_and_then(staff_client, monkeypatch):
    read_table = importer.read_table

    def slow_read(content):
        time.sleep(0.3)
        return read_table(content)

    monkeypatch.setattr(importer.run, "read_table", slow_read)
    monkeypatch.setattr(staff_import, "HEARTBEAT_SECONDS", 0.05)

    response = staff_client.post(URL, {"file": upload(csv_bytes([row()])), "action": "import"})

    parts = streamed(response)
    assert "\n" in parts  # keeps nginx (proxy_read_timeout) and the browser waiting
    assert "已导入 1 条信息" in "".join(parts)


def test_published_rows_show_the_index_stage(staff_client):
    response = staff_client.post(
        URL, {"file": upload(csv_bytes([row(发布日期="2015-06-03")])), "action": "import"}
    )

    page = "".join(streamed(response))
    assert "<strong>建立检索索引</strong> 1 / 1" in page
    assert "已发布 1 条" in page


def test_the_page_reports_bad_rows_and_imports_nothing(staff_client):
    response = staff_client.post(URL, {"file": upload(bad_file()), "action": "import"})

    page = "".join(streamed(response))
    assert "有错误的行，未导入任何信息。" in page
    assert "<td>4</td><td>文号</td>" in page
    assert not Record.objects.exists()


def test_the_page_explains_a_malformed_file(staff_client):
    response = staff_client.post(
        URL, {"file": upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "x.csv"), "action": "import"}
    )

    page = "".join(streamed(response))
    assert "文件无法导入，未导入任何信息。" in page
    assert "文件内容是 PNG" in page
    assert not Record.objects.exists()


def test_the_page_previews_then_imports_the_staged_file_without_asking_for_it_again(staff_client):
    preview = staff_client.post(URL, {"file": upload(bad_file()), "action": "preview", "partial": "on"})
    page = "".join(streamed(preview))
    assert "预览（尚未导入）" in page
    assert not Record.objects.exists()

    done = staff_client.post(
        URL, {"staged": staged_token(page), "staged_name": "目录.csv", "partial": "on", "action": "import"}
    )

    assert "已导入 1 条信息" in "".join(streamed(done))
    assert Record.objects.count() == 1


def test_a_second_post_of_the_same_staged_file_imports_nothing_and_says_so(staff_client):
    preview = staff_client.post(URL, {"file": upload(csv_bytes([row()])), "action": "preview"})
    form = {"staged": staged_token("".join(streamed(preview))), "staged_name": "目录.csv", "action": "import"}
    first = staff_client.post(URL, form)

    second = staff_client.post(URL, form)  # a double click, or a reload of the answer

    assert second.status_code == 409
    assert "该文件已在导入或已经导入，请勿重复提交。" in second.content.decode()
    assert "已导入 1 条信息" in "".join(streamed(first))
    assert Record.objects.count() == 1


def test_a_staged_file_is_claimed_before_its_import_starts(staff_client, settings):
    preview = staff_client.post(URL, {"file": upload(csv_bytes([row()])), "action": "preview"})
    form = {"staged": staged_token("".join(streamed(preview))), "staged_name": "目录.csv", "action": "import"}
    first = staff_client.post(URL, form)  # answered, its import not yet run

    assert staff_client.post(URL, form).status_code == 409
    assert not Record.objects.exists()
    streamed(first)
    assert Record.objects.count() == 1
    left = [path.suffix for path in (settings.DATA_DIR / "import-staging").iterdir()]
    assert left == [".imported"]  # the staged file is gone; the mark stops a re-sent upload


def test_an_upload_sent_again_imports_nothing_and_says_so(staff_client):
    form = {"file": upload(csv_bytes([row()])), "action": "import"}
    first = staff_client.post(URL, form)
    assert "已导入 1 条信息" in "".join(streamed(first))

    again = staff_client.post(URL, {"file": upload(csv_bytes([row()])), "action": "import"})  # a reload

    assert again.status_code == 409
    assert "该文件已在导入或已经导入，请勿重复提交。" in again.content.decode()
    assert Record.objects.count() == 1


def test_an_upload_sent_twice_while_the_first_runs_imports_once(staff_client):
    first = staff_client.post(URL, {"file": upload(csv_bytes([row()])), "action": "import"})

    second = staff_client.post(URL, {"file": upload(csv_bytes([row()])), "action": "import"})

    assert second.status_code == 409
    streamed(first)
    assert Record.objects.count() == 1


def test_a_file_that_imported_nothing_may_be_sent_again(staff_client):
    refused = staff_client.post(URL, {"file": upload(bad_file()), "action": "import"})
    assert "有错误的行，未导入任何信息。" in "".join(streamed(refused))

    again = staff_client.post(URL, {"file": upload(bad_file()), "action": "import", "partial": "on"})

    assert "已导入 1 条信息" in "".join(streamed(again))
    assert Record.objects.count() == 1


def test_a_mark_left_by_a_process_that_died_does_not_block_the_file(staff_client, reviewer, settings):
    content = csv_bytes([row()])
    staging = settings.DATA_DIR / "import-staging"
    staging.mkdir()
    mark = staging / f"{reviewer.pk}-{hashlib.sha256(content).hexdigest()}.importing"
    mark.touch()
    os.utime(mark, (time.time() - 7200, time.time() - 7200))

    response = staff_client.post(URL, {"file": upload(content), "action": "import"})

    assert "已导入 1 条信息" in "".join(streamed(response))


def test_a_response_closed_before_its_import_started_lets_the_file_go(staff_client, settings):
    response = staff_client.post(URL, {"file": upload(csv_bytes([row()])), "action": "import"})

    # The browser went away before the first part. (As the test client does when it closes a
    # response: the test's own database connection stays open.)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

    assert not list((settings.DATA_DIR / "import-staging").iterdir())
    assert not Record.objects.exists()
    again = staff_client.post(URL, {"file": upload(csv_bytes([row()])), "action": "import"})
    assert "已导入 1 条信息" in "".join(streamed(again))


def test_an_import_failing_half_way_leaves_nothing(staff_client, monkeypatch):
    def conflict(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: catalog_record.index_number")

    monkeypatch.setattr(importer.write, "_write_record_events", conflict)  # after the records are in

    response = staff_client.post(
        URL, {"file": upload(csv_bytes([row(), row(名称="第二条")])), "action": "import"}
    )

    page = "".join(streamed(response))
    assert "<strong>保存信息</strong> 2 / 2" in page
    assert "导入时索引号与他人同时录入的信息冲突，未导入任何信息，请重试。" in page
    assert not Record.objects.exists()
    assert not AuditEvent.objects.filter(action="catalog.import.completed").exists()


def test_an_unexpected_error_is_reported_and_leaves_nothing(staff_client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer.write, "_write_record_events", broken)

    response = staff_client.post(URL, {"file": upload(csv_bytes([row()])), "action": "import"})

    page = "".join(streamed(response))
    assert "导入时发生意外错误，未导入任何信息。" in page
    assert page.rstrip().endswith("</html>")
    assert not Record.objects.exists()
    assert "disk full" in caplog.text


def test_the_import_records_the_client_address_and_speaks_the_chosen_language(staff_client):
    staff_client.cookies["gk_lang"] = "en"

    response = staff_client.post(
        URL, {"file": upload(csv_bytes([row()])), "action": "import"}, REMOTE_ADDR="10.1.2.3"
    )

    page = "".join(streamed(response))
    assert "<strong>Checking rows</strong>" in page
    assert "Imported 1 record" in page
    assert AuditEvent.objects.get(action="catalog.import.completed").ip_address == "10.1.2.3"


def test_progress_is_sent_at_most_twice_a_second_and_at_each_stage():
    job = staff_import._ImportJob(lambda progress: importer.ImportReport(source=""))

    for done in range(1, 101):
        job.progress("check", done, 100)
    job.progress("save", 1, 50)
    job.progress("save", 2, 50)

    sent = []
    while not job.events.empty():
        sent.append(job.events.get())
    assert sent == [("check", 1, 100), ("check", 100, 100), ("save", 1, 50)]


def test_the_page_is_for_reviewers_only(client, editor):
    client.force_login(editor)

    response = client.post(URL, {"file": upload(csv_bytes([row()])), "action": "import"})

    assert response.status_code == 302
    assert not Record.objects.exists()


def test_the_page_requires_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
