"""The workbench navigation offers only the pages the user may open: it asks the views' own checks."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def staff_nav(user: Any) -> dict[str, bool]:
    from gongkai.accounts.choices import Role
    from gongkai.annualreport import queries as annualreport_queries
    from gongkai.catalog.models import Record
    from gongkai.catalog.workflows import RECORD
    from gongkai.core.views.staff import may_view_audit
    from gongkai.workbench import jobs

    if not getattr(user, "is_authenticated", False):
        return {}
    from gongkai.accounts import passwords, twofactor
    from gongkai.core import clock

    # Someone still to enrol a second factor or to change an expired password is sent back there
    # from every workbench page: no navigation whose every link only returns them.
    if (twofactor.required(user) and not twofactor.enrolled(user)) or (
        passwords.max_age() is not None and passwords.expired(user, now=clock.now())
    ):
        return {"ready": False}
    return {
        "ready": True,
        "new": RECORD.may(user, Record(department=user.department), "create"),
        # catalog/views/staff_import.import_records refuses everyone but the office's reviewers.
        "import": user.has_role(Role.REVIEWER),
        "audit": may_view_audit(user),
        "jobs": jobs.may_see_jobs(user),
        "reports": annualreport_queries.may_read(user),
    }
