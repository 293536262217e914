"""The virus-scan hook (issue 12, core/scan.py). This machine has no ClamAV: the scanner here is
a small script with ClamAV's exit statuses (0 clean, 1 found, 2 error), run as the configured
command exactly as clamdscan would be — it tests the hook, it is not a scan."""

from __future__ import annotations

import shutil
import sys
import textwrap

import pytest
from django.utils import translation

from gongkai.catalog import services
from gongkai.catalog.files import FileRejectedError
from gongkai.catalog.models import Attachment
from gongkai.catalog.tests.test_attachments import PDF
from gongkai.core import scan
from gongkai.core.models import AuditEvent

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture
def scanner(tmp_path):
    script = tmp_path / "fake_clamdscan.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys
            data = sys.stdin.buffer.read()
            if b"BROKEN" in data:
                sys.exit(2)
            sys.exit(1 if b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in data else 0)
            """
        )
    )
    return f"{sys.executable} {script}"


def test_with_no_scanner_configured_an_upload_passes_as_not_scanned(settings):
    settings.UPLOAD_SCAN_COMMAND = "off"
    assert scan.check(EICAR) == scan.Scan(scanned=False)


def test_auto_uses_clamdscan_only_when_it_is_installed(settings):
    settings.UPLOAD_SCAN_COMMAND = "auto"
    expected = scan.CLAMDSCAN if shutil.which("clamdscan") else []
    assert scan.command() == expected


def test_a_clean_file_passes_the_configured_scanner(settings, scanner):
    settings.UPLOAD_SCAN_COMMAND = scanner
    assert scan.check(PDF).scanned


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_infected_attachment_is_refused_and_nothing_is_kept(
    make_record, editor, settings, scanner, language
):
    settings.UPLOAD_SCAN_COMMAND = scanner
    record = make_record()
    events = AuditEvent.objects.count()
    with translation.override(language):
        message = translation.gettext("文件未通过病毒扫描（发现恶意代码），未保存。")
        with pytest.raises(FileRejectedError) as caught:
            services.do_add_attachment(
                record,
                services.UploadedFile("通告.pdf", PDF + EICAR),
                actor=editor,
                expected_version=record.version,
            )
    assert str(caught.value) == message
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "command",
    ["{scanner_broken}", "/nonexistent/clamdscan --no-summary -", "{sleeper}"],
    ids=["error", "missing", "timeout"],
)
def test_a_scanner_that_fails_refuses_the_upload(make_record, editor, settings, scanner, command):
    settings.UPLOAD_SCAN_COMMAND = command.format(
        scanner_broken=scanner, sleeper=f"{sys.executable} -c 'import time; time.sleep(5)'"
    )
    settings.UPLOAD_SCAN_TIMEOUT = 1
    record = make_record()
    content = PDF + (b"BROKEN" if command == "{scanner_broken}" else b"")

    with pytest.raises(FileRejectedError, match="无法完成病毒扫描"):
        services.do_add_attachment(
            record, services.UploadedFile("通告.pdf", content), actor=editor, expected_version=record.version
        )
    assert not Attachment.objects.exists()
