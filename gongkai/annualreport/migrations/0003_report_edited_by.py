"""Who edited a report's passages or cells (`AnnualReport.edited_by`): they may not approve or
publish it (four eyes). Filled from the audit trail: the `annualreport.report.edited` events that
changed the edits, since the report's last `annualreport.report.redrafted` event (by event id)."""

from typing import Any

from django.conf import settings
from django.db import migrations, models

REPORT_TYPE = "annualreport.annualreport"


def _normal(values: Any) -> dict[str, Any]:
    edits = (values or {}).get("edits") or {}
    return {"passages": edits.get("passages") or {}, "cells": edits.get("cells") or {}}


def backfill(apps: Any, schema_editor: Any) -> None:
    AnnualReport = apps.get_model("annualreport", "AnnualReport")
    AuditEvent = apps.get_model("core", "AuditEvent")
    for report in AnnualReport.objects.all():
        events = AuditEvent.objects.filter(object_type=REPORT_TYPE, object_id=str(report.pk))
        redraft = (
            events.filter(action="annualreport.report.redrafted").order_by("-id").values_list("id", flat=True)
        ).first()
        edits = events.filter(action="annualreport.report.edited", actor__isnull=False)
        if redraft is not None:
            edits = edits.filter(id__gt=redraft)
        people = {
            actor
            for actor, before, after in edits.values_list("actor_id", "before", "after")
            if _normal(before) != _normal(after)
        }
        if people:
            report.edited_by.add(*people)


class Migration(migrations.Migration):
    dependencies = [
        ("annualreport", "0002_deadline_reminders"),
        ("core", "0005_audit_hash_chain"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="annualreport",
            name="edited_by",
            field=models.ManyToManyField(
                blank=True, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="修改人"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
