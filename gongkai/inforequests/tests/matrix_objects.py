"""Disclosure on request in the access matrix: who may make each move of a case (docs/inforequests.md),
and the relations those moves name, written again here rather than imported from workflows.py.

The core matrix (gongkai/core/tests/test_access_matrix.py) checks the declaration against this
policy. Its cells perform a bare `acts.perform`, which cannot stand for a move of a case: the
move's own rows (the pause, the extension, the fee notice) are made by its service, and the
letters the act issues are issued by the workflow's `after_act` hook from those rows. So the cells
of a case are tried through the services and the case page in
gongkai/inforequests/tests/test_access_matrix.py, from this same policy.
"""

from __future__ import annotations

from typing import Any

from gongkai.accounts.choices import DepartmentKind
from gongkai.accounts.models import User
from gongkai.core.tests.matrix import policy, relation

APPLICATION = "inforequests.application"


def _in_office(person: User, application: Any) -> bool:
    return person.department is not None and person.department.kind == DepartmentKind.OFFICE


def _assigned(person: User, application: Any) -> bool:
    if person.department_id is None or application.pk is None:
        return False
    return bool(application.assignments.filter(department_id=person.department_id).exists())


relation("in_office", _in_office)
relation("assigned_department", _assigned)

# The office (公开办) runs every case.
OFFICE = ({"reviewer"}, "any")
# Replies, extensions and correction decisions: a leader, or the head of the office (2019 Art. 33)
# — never the head of another department.
APPROVERS = (({"leader"}, "any"), ({"head"}, "in_office"))

for move in (
    "register", "accept", "assign", "supplement", "receive_supplement", "abandon", "consult",
    "end_consult", "draft", "delivery", "review", "decide_review", "fee_notice", "fee_paid",
    "fee_waive", "fee_lapse", "share_identity", "unshare_identity",
):  # fmt: skip
    policy(APPLICATION, move, OFFICE)
# A department asked for its opinion answers through its editors or its head; the office may enter
# an opinion that reached it on paper.
policy(APPLICATION, "opinion", ({"editor", "head"}, "assigned_department"), OFFICE)
for move in ("extend", "correct", "return"):
    policy(APPLICATION, move, *APPROVERS)
# Four eyes: whoever drafted the reply does not approve it.
policy(APPLICATION, "approve", *APPROVERS, four_eyes=True)
