"""Virus scanning of uploads: a configured command, ClamAV's in production.

`UPLOAD_SCAN_COMMAND` (GONGKAI_SCAN_COMMAND, split like a shell line) is run with the upload on its
standard input, as ClamAV's `clamdscan --no-summary -` expects (Debian's clamav-daemon; clamdscan
streams to the daemon, which keeps its signatures loaded). Its exit status decides, as ClamAV's do:
0 clean, 1 infected (refused), anything else — an error, a timeout, the command missing — refused
as "could not be scanned": once a scanner is configured, nothing passes unscanned.

`auto` (the default) uses `clamdscan --no-summary -` when clamdscan is on the PATH and no scanner
otherwise; `off` (or empty) is no scanner. With no scanner every upload passes as *not scanned*
(`Scan.scanned` False): the development machines have no ClamAV, and nothing pretends to scan.
The checks by content and size are the callers' (catalog.files.sniff_attachment) and run anyway.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

CLAMDSCAN = ["clamdscan", "--no-summary", "-"]


class ScanRefused(ValueError):
    """The upload is infected, or could not be scanned: it is not kept."""


@dataclass(frozen=True)
class Scan:
    scanned: bool
    command: str = ""


def command() -> list[str]:
    configured = str(getattr(settings, "UPLOAD_SCAN_COMMAND", "auto")).strip()
    if configured in ("", "off"):
        return []
    if configured == "auto":
        return CLAMDSCAN if shutil.which("clamdscan") else []
    return shlex.split(configured)


def check(content: bytes) -> Scan:
    """Scan `content` with the configured command; raise ScanRefused unless it is clean."""
    argv = command()
    if not argv:
        return Scan(scanned=False)
    try:
        result = subprocess.run(  # the administrator's configured scanner
            argv,
            input=content,
            capture_output=True,
            timeout=float(getattr(settings, "UPLOAD_SCAN_TIMEOUT", 60)),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ScanRefused(_("无法完成病毒扫描，文件未保存，请稍后再试或联系系统管理员。")) from exc
    if result.returncode == 1:
        raise ScanRefused(_("文件未通过病毒扫描（发现恶意代码），未保存。"))
    if result.returncode != 0:
        raise ScanRefused(_("无法完成病毒扫描，文件未保存，请稍后再试或联系系统管理员。"))
    return Scan(scanned=True, command=argv[0])
