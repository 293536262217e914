"""The catalog routes added after the shared table (tests/test_url_access_matrix.py): the change of
a published record's validity (变更有效性) is posted from the record page by the office reviewer;
a GET is refused (the form lives on the record page)."""

from __future__ import annotations

from tests.url_rules import Same, Staff

ROUTES: dict[str, Same | Staff] = {
    "workbench:record_change_validity": Staff(frozenset(), post=frozenset({"reviewer"})),
}
POST_DATA = {"validity": "repealed", "on": "2015-06-02", "document": "吉公发〔2015〕30号"}
