"""The staff import page: a preview at once, the import as a background job (its run's page shows
the stages while it runs and then the report), no double import. Jobs run in-process here (Huey's
immediate mode): the queued run executes when the request's transaction commits."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from gongkai.catalog import importer
from gongkai.catalog.importer import staging
from gongkai.catalog.models import ImportOutcome, Record
from gongkai.catalog.tests.test_import import bad_file, csv_bytes, row
from gongkai.core.models import AuditEvent, JobRun

URL = "/workbench/import/"


@pytest.fixture
def staff_client(client, reviewer, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(reviewer)
    return client


@pytest.fixture
def post(staff_client, django_capture_on_commit_callbacks):
    """Post the form as the browser would; the job queued by the post runs once it has committed."""

    def send(data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return staff_client.post(URL, data, **extra)

    return send


def upload(content, name="目录.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def staged_token(page: str) -> str:
    match = re.search(r'name="staged" value="([0-9a-f]{32})"', page)
    assert match, "no staged file on the page"
    return match.group(1)


def run_page(client, response) -> str:
    """Follow the redirect of an import to its run's page."""
    assert response.status_code == 302, response.content.decode()[:500]
    assert re.fullmatch(r"/workbench/import/\?run=\d+", response["Location"])
    page = client.get(response["Location"])
    assert page.status_code == 200
    return str(page.content.decode())


def staging_files(settings) -> list[str]:
    return sorted(path.suffix for path in (settings.DATA_DIR / "import-staging").iterdir())


def test_the_page_shows_the_upload_form(staff_client):
    response = staff_client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "批量导入目录" in page
    assert 'src="/static/catalog/import.js"' in page
    assert page.count("data-submit-once") == 1


def test_an_import_is_queued_as_a_job_and_its_page_shows_the_stages_and_the_report(
    staff_client, post, reviewer, settings
):
    response = post({"file": upload(csv_bytes([row(), row(名称="第二条")])), "action": "import"})

    page = run_page(staff_client, response)
    run = JobRun.objects.get(name="catalog.import")
    assert (run.state, run.started_by, run.arguments["partial"]) == ("done", reviewer, False)
    assert Record.objects.count() == 2
    for stage in ["读取文件", "检查数据", "保存信息", "建立检索索引"]:
        assert f"<strong>{stage}</strong>" in page
    assert '<progress max="2" value="2">100%</progress>' in page
    assert "已导入 2 条信息" in page
    assert 'http-equiv="refresh"' not in page  # finished: no more reloading
    assert staging_files(settings) == []  # the held file went with the committed import


def test_a_running_import_page_refreshes_itself_and_shows_how_far_it_got(
    staff_client, reviewer, settings, django_capture_on_commit_callbacks
):
    from gongkai.catalog import tasks

    run = tasks.start_import(reviewer, "目录.csv", csv_bytes([row()]), partial=False)  # not yet run
    assert run is not None
    url = f"{URL}?run={run.pk}"
    queued = staff_client.get(url).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in queued
    assert "正在排队" in queued

    run.state = "running"
    run.save()
    progress = staging.ProgressFile(run.pk)
    progress("check", 500, 1000)
    page = staff_client.get(url).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert "<strong>检查数据</strong> 500 / 1000" in page
    assert '<progress max="1000" value="500">50%</progress>' in page
    assert re.search(r'id="import-stage-read" data-state="done"', page)
    assert re.search(r'id="import-stage-save" data-state="waiting"', page)
    assert not Record.objects.exists()


def test_progress_is_written_at_most_twice_a_second_and_at_the_end_of_each_stage(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    progress = staging.ProgressFile(7)
    written = []

    for done in range(1, 101):
        progress("check", done, 100)
        written.append(staging.read_progress(7))
    progress("save", 1, 50)
    progress("save", 2, 50)

    assert written[0] == {"check": [1, 100]}
    assert written[50] == {"check": [1, 100]}  # not rewritten for each row
    assert written[-1] == {"check": [100, 100]}  # a stage's end always is
    assert staging.read_progress(7) == {"check": [100, 100], "save": [1, 50]}
    assert not progress.path.with_suffix(".tmp").exists()  # replaced whole, never half-written
    assert json.loads(progress.path.read_text())["stages"]["save"] == [1, 50]


def test_published_rows_show_the_index_stage(staff_client, post):
    response = post({"file": upload(csv_bytes([row(发布日期="2015-06-03")])), "action": "import"})

    page = run_page(staff_client, response)
    assert "<strong>建立检索索引</strong> 1 / 1" in page
    assert "已发布 1 条" in page


def test_the_page_reports_bad_rows_and_imports_nothing(staff_client, post):
    response = post({"file": upload(bad_file()), "action": "import"})

    page = run_page(staff_client, response)
    assert "有错误的行，未导入任何信息。" in page
    assert "<td>4</td><td>文号</td>" in page
    assert re.search(r'id="import-stage-save" data-state="skipped"', page)
    assert not Record.objects.exists()


def test_the_page_explains_a_malformed_file(staff_client, post):
    response = post({"file": upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "x.csv"), "action": "import"})

    page = run_page(staff_client, response)
    assert "文件无法导入，未导入任何信息。" in page
    assert "文件内容是 PNG" in page
    assert not Record.objects.exists()


def test_the_page_previews_then_imports_the_staged_file_without_asking_for_it_again(staff_client, post):
    preview = post({"file": upload(bad_file()), "action": "preview", "partial": "on"})
    page = preview.content.decode()
    assert "预览（尚未导入）" in page
    assert not JobRun.objects.exists() and not Record.objects.exists()

    done = post(
        {"staged": staged_token(page), "staged_name": "目录.csv", "partial": "on", "action": "import"}
    )

    assert "已导入 1 条信息" in run_page(staff_client, done)
    assert Record.objects.count() == 1


def test_a_second_post_of_the_same_staged_file_imports_nothing_and_says_so(staff_client, post):
    preview = post({"file": upload(csv_bytes([row()])), "action": "preview"})
    form = {"staged": staged_token(preview.content.decode()), "staged_name": "目录.csv", "action": "import"}
    first = post(form)

    second = post(form)  # a double click, or a reload of the answer

    assert second.status_code == 409
    assert "该文件已在导入或已经导入，请勿重复提交。" in second.content.decode()
    assert "已导入 1 条信息" in run_page(staff_client, first)
    assert Record.objects.count() == 1
    assert JobRun.objects.count() == 1


def test_a_staged_file_is_claimed_before_its_import_starts(staff_client, settings):
    preview = staff_client.post(URL, {"file": upload(csv_bytes([row()])), "action": "preview"})
    form = {"staged": staged_token(preview.content.decode()), "staged_name": "目录.csv", "action": "import"}
    first = staff_client.post(URL, form)  # queued, its job not yet run

    assert first.status_code == 302
    assert staff_client.post(URL, form).status_code == 409
    assert not Record.objects.exists()
    assert staging_files(settings) == [".importing"]  # the preview became the job's held file


def test_an_upload_sent_again_imports_nothing_and_says_so(staff_client, post):
    first = post({"file": upload(csv_bytes([row()])), "action": "import"})
    assert "已导入 1 条信息" in run_page(staff_client, first)

    again = post({"file": upload(csv_bytes([row()])), "action": "import"})  # a reload

    assert again.status_code == 409
    assert "该文件已在导入或已经导入，请勿重复提交。" in again.content.decode()
    assert Record.objects.count() == 1


def test_an_upload_sent_twice_while_the_first_is_queued_is_queued_once(staff_client, post):
    first = staff_client.post(URL, {"file": upload(csv_bytes([row()])), "action": "import"})  # not yet run

    second = post({"file": upload(csv_bytes([row()])), "action": "import"})

    assert (first.status_code, second.status_code) == (302, 409)
    assert JobRun.objects.filter(name="catalog.import").count() == 1


def test_a_file_that_imported_nothing_may_be_sent_again(staff_client, post):
    refused = post({"file": upload(bad_file()), "action": "import"})
    assert "有错误的行，未导入任何信息。" in run_page(staff_client, refused)

    again = post({"file": upload(bad_file()), "action": "import", "partial": "on"})

    assert "已导入 1 条信息" in run_page(staff_client, again)
    assert Record.objects.count() == 1


def test_a_file_held_by_a_run_that_failed_for_good_does_not_block_it(staff_client, post, reviewer):
    from gongkai.catalog import tasks

    content = csv_bytes([row()])
    run = tasks.start_import(reviewer, "目录.csv", content, partial=False)
    assert run is not None
    JobRun.objects.filter(pk=run.pk).update(state="failed")  # gave up; its held file stayed

    response = post({"file": upload(content), "action": "import"})

    assert "已导入 1 条信息" in run_page(staff_client, response)


def test_an_import_failing_half_way_leaves_nothing(staff_client, post, monkeypatch, settings):
    def conflict(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: catalog_record.index_number")

    monkeypatch.setattr(importer.write, "_write_record_events", conflict)  # after the records are in

    response = post({"file": upload(csv_bytes([row(), row(名称="第二条")])), "action": "import"})

    page = run_page(staff_client, response)
    assert "导入时索引号与他人同时录入的信息冲突，未导入任何信息，请重试。" in page
    assert not Record.objects.exists()
    assert not AuditEvent.objects.filter(action="catalog.import.completed").exists()


def test_an_unexpected_error_fails_the_run_leaves_nothing_and_keeps_the_file(
    staff_client, post, monkeypatch, settings, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer.write, "_write_record_events", broken)

    response = post({"file": upload(csv_bytes([row()])), "action": "import"})

    page = run_page(staff_client, response)
    run = JobRun.objects.get(name="catalog.import")
    assert run.state == "failed" and "disk full" in run.error
    assert "导入时发生意外错误，未导入任何信息。" in page
    assert not Record.objects.exists() and not ImportOutcome.objects.exists()
    assert ".importing" in staging_files(settings)  # kept for the retry on the jobs page


def test_the_import_records_the_client_address_and_speaks_the_chosen_language(staff_client, post):
    staff_client.cookies["gk_lang"] = "en"

    response = post({"file": upload(csv_bytes([row()])), "action": "import"}, REMOTE_ADDR="10.1.2.3")

    page = run_page(staff_client, response)
    assert "<strong>Checking rows</strong>" in page
    assert "Imported 1 record" in page
    assert AuditEvent.objects.get(action="catalog.import.completed").ip_address == "10.1.2.3"


def test_a_run_page_is_only_for_imports(staff_client, post):
    from gongkai.catalog import tasks

    other = tasks.reindex.enqueue()

    assert staff_client.get(f"{URL}?run={other.pk}").status_code == 404
    assert staff_client.get(f"{URL}?run=x").status_code == 404


def test_the_page_is_for_reviewers_only(client, editor):
    client.force_login(editor)

    response = client.post(URL, {"file": upload(csv_bytes([row()])), "action": "import"})

    assert response.status_code == 302
    assert not Record.objects.exists() and not JobRun.objects.exists()


def test_the_page_requires_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
