"""A small world every route of the URL configuration can be tried on: the matrix personas, a
published and a draft record, an application assigned to one department, a background job, and for
each route name the concrete address that points at those objects.

Shared by tests/test_url_access_matrix.py (who may open what) and tests/test_hostile_input.py
(no bad parameter makes a 500)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.core.tests.matrix import PERSONAS

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RECEIVED = dt.date(2021, 6, 1)  # a working day of the seeded calendar


def route_names() -> list[str]:
    """Every named route of the URL configuration, namespaced (`workbench:record`)."""

    def walk(resolver: URLResolver, namespace: str) -> Iterator[str]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern, inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}{pattern.name or pattern.pattern}"

    return sorted(set(walk(get_resolver(), "")))


@dataclass
class World:
    people: dict[str, Any]
    departments: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)

    def url(self, name: str) -> str:
        """The address of route `name` pointing at this world's objects."""
        return reverse(name, kwargs=self.kwargs(name)) if name != "sitemap" else "/sitemap.xml"

    def kwargs(self, name: str) -> dict[str, Any]:
        published, draft, application, job = (
            self.objects["published"],
            self.objects["draft"],
            self.objects["application"],
            self.objects["job"],
        )
        table: dict[str, dict[str, Any]] = {
            "catalog:category": {"code": published.category.code},
            "catalog:feed": {"code": published.category.code},
            "catalog:attachment": {
                "index_number": published.index_number,
                "attachment_id": self.objects["attachment"].pk,
            },
            "catalog:record": {"index_number": published.index_number},
            "catalog:page": {"slug": "guide"},
            "inforequests:reply_letter": {"tracking_number": application.tracking_number},
            "inforequests:status_result": {"tracking_number": application.tracking_number},
            "inforequests:receipt": {"tracking_number": application.tracking_number},
            "workbench:page_edit": {"slug": "guide"},
            "workbench:job_retry": {"pk": job.pk},
            "workbench:inforequests_staff:letter_template": {"rules": "2019", "key": "acknowledgement"},
            "workbench:inforequests_staff:letter_template_reset": {"rules": "2019", "key": "acknowledgement"},
            "workbench:inforequests_staff:letter_template_preview": {
                "rules": "2019",
                "key": "acknowledgement",
            },
            "workbench:inforequests_staff:letter": {
                "pk": application.pk,
                "letter": "acknowledgement",
                "fmt": "pdf",
            },
            "workbench:inforequests_staff:case": {"pk": application.pk},
            "workbench:inforequests_staff:action": {"pk": application.pk, "name": "accept"},
            "workbench:inforequests_staff:fee_action": {"pk": application.pk, "name": "issue"},
            "api-v1:record": {"index_number": published.index_number},
            "api-v1:application": {"tracking_number": application.tracking_number},
        }
        from tests import url_apps

        for module in url_apps.modules():
            if name in module.ROUTES and hasattr(module, "kwargs"):
                found = module.kwargs(self, name)
                if found is not None:
                    return dict(found)
        if name == "workbench:record_attachment_download":
            return {"pk": published.pk, "attachment_id": self.objects["attachment"].pk}
        if name.startswith("workbench:record_") or name == "workbench:record":
            if name in {"workbench:record_new"}:
                return {}
            return {"pk": draft.pk}
        return table.get(name, {})


def build_world(departments: dict[str, Any], media_root: Any) -> World:
    """Personas (force-logged in by the tests), records, an application and a job, through services."""
    from gongkai.accounts.services import do_create_staff
    from gongkai.catalog import services as catalog
    from gongkai.catalog.models import Category
    from gongkai.core import clock, jobs
    from gongkai.inforequests import services as inforequests

    people = {
        key: do_create_staff(
            username=f"url_{key}",
            password="url-world-password",
            full_name=f"测{key}",
            department=departments[department],
            roles=roles,
            actor=None,
        )
        for key, (department, roles) in PERSONAS.items()
    }
    editor, reviewer = people["editor"], people["reviewer"]
    data = {
        "name": "关于口岸签证业务的通告",
        "summary": "口岸受理签证业务。",
        "body": "<p>正文</p>",
        "formed_on": dt.date(2015, 6, 1),
        "issuer": "吉林省公安厅",
        "doc_number": "吉公通〔2015〕12号",
        "category": Category.objects.get(code="policy-rules"),
        "genre": "circular",
        "keywords": "签证",
        "department": departments["exit_entry"],
    }
    published = catalog.do_create_record(data, actor=editor)
    attachment = catalog.do_add_attachment(
        published,
        catalog.UploadedFile("notice.pdf", PDF),
        actor=editor,
        expected_version=published.version,
    )
    published.refresh_from_db()
    published = catalog.do_submit_record(published, actor=editor, expected_version=published.version)
    published = catalog.do_approve_record(published, actor=reviewer, expected_version=published.version)
    published = catalog.do_publish_record(published, actor=reviewer, expected_version=published.version)
    draft = catalog.do_create_record({**data, "name": "草稿"}, actor=editor)
    application, code = inforequests.do_submit_application(
        {
            "applicant_kind": "natural_person",
            "applicant_name": "张三",
            "id_type": "居民身份证",
            "id_number": "220102198001011234",
            "phone": "13900000000",
            "email": "zhangsan@example.com",
            "address": "长春市朝阳区人民大街1号",
            "information_title": "2020年全省机动车保有量统计",
            "description": "按市州分列",
            "form_wanted": "electronic",
            "delivery": "email",
        },
        channel="online",
        received_on=RECEIVED,
    )
    now = clock.now()
    job = jobs.JobRun.objects.create(
        name="catalog.search.reindex", arguments={}, state="failed", created_at=now, not_before=now
    )
    world = World(people=people, departments=departments)
    world.objects.update(
        published=published, draft=draft, attachment=attachment, application=application, job=job, code=code
    )
    from tests import url_apps

    for module in url_apps.modules():
        if hasattr(module, "build"):
            module.build(world)
    return world
