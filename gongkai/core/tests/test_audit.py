import pytest

from gongkai.core.audit import log_event
from gongkai.core.models import AuditEvent


def test_audit_events_are_never_edited_or_deleted(db):
    event = log_event("core.test.done", actor=None, note="x")
    event.note = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).note == "x"


def test_sanitiser_drops_scripts_and_handlers():
    from gongkai.core.text import sanitize_html

    html = sanitize_html('<p onclick="x()">ok<script>alert(1)</script><a href="javascript:x">l</a></p>')
    assert "script" not in html
    assert "onclick" not in html
    assert "javascript" not in html
    assert "<p>ok" in html


def test_segmentation_splits_chinese_words():
    from gongkai.core.text import segment

    assert "签证" in segment("延吉口岸签证业务启动")
