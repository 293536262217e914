"""Attachment type checks by content, not by name."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _


class FileRejectedError(ValueError):
    pass


@dataclass(frozen=True)
class FileKind:
    extension: str
    mime: str


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_attachment(name: str, content: bytes) -> FileKind:
    """Return the kind of an allowed attachment (PDF, DOC/DOCX, XLS/XLSX, PNG/JPEG/GIF) or refuse it."""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    head = content[:16]
    if head.startswith(b"%PDF-"):
        kind = FileKind(".pdf", "application/pdf")
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = FileKind(".png", "image/png")
    elif head.startswith(b"\xff\xd8\xff"):
        kind = FileKind(".jpg", "image/jpeg")
    elif head.startswith((b"GIF87a", b"GIF89a")):
        kind = FileKind(".gif", "image/gif")
    elif head.startswith(_OLE_MAGIC):
        if ext == ".xls":
            kind = FileKind(".xls", "application/vnd.ms-excel")
        else:
            kind = FileKind(".doc", "application/msword")
    elif head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(BytesIO(content)).namelist())
        except zipfile.BadZipFile as exc:
            raise FileRejectedError(_("文件已损坏，无法识别。")) from exc
        if "word/document.xml" in names:
            kind = FileKind(
                ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            )
        elif "xl/workbook.xml" in names:
            kind = FileKind(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        else:
            raise FileRejectedError(_("不支持的文件类型：只接受 PDF、Word、Excel 和图片。"))
    else:
        raise FileRejectedError(_("不支持的文件类型：只接受 PDF、Word、Excel 和图片。"))
    if ext and ext not in {kind.extension, ".jpeg"} and not (ext == ".jpeg" and kind.extension == ".jpg"):
        raise FileRejectedError(
            _("文件内容（%(real)s）与扩展名（%(ext)s）不符。") % {"real": kind.extension, "ext": ext}
        )
    return kind
