"""Files holding applicants' data are not world-readable (issue 12): 0600 files, 0700 folders."""

import os
import stat

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage


def test_the_process_creates_files_for_its_own_user_only(tmp_path):
    current = os.umask(0o077)
    os.umask(current)
    assert current == settings.FILE_UMASK == 0o077
    path = tmp_path / "staging.xlsx"
    path.write_bytes(b"x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_data_folder_and_secret_key_are_closed():
    # Others may only pass through to static/ (nginx serves it), not list or read the folder.
    assert stat.S_IMODE(settings.DATA_DIR.stat().st_mode) == 0o711
    assert stat.S_IMODE(settings.STATIC_ROOT.stat().st_mode) == 0o755
    secret = settings.DATA_DIR / "secret_key"
    if secret.exists():
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600


def test_uploaded_media_are_saved_0600(tmp_path):
    storage = FileSystemStorage(location=tmp_path / "media")
    name = storage.save("attachments/a.pdf", ContentFile(b"%PDF-1.4"))
    assert stat.S_IMODE((tmp_path / "media" / name).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "media" / "attachments").stat().st_mode) == 0o700
