"""Letter numbers (文号) on issued letters, and a counter per agency, year and kind.

Letters stored before get a number in issue order (the date they bear, then when they were
stored), recorded on the row with ``number_printed`` False: their frozen bytes are not changed.
The counters continue after them. The prefix and kind marks are written out here, as
``letter_numbers`` has them now (a migration imports no app code).
"""

from typing import Any

from django.conf import settings
from django.db import migrations, models

KIND_MARKS = {
    "acknowledgement": "受",
    "supplement": "补",
    "extension": "延",
    "consultation": "征",
    "reply": "复",
    "fee_notice": "费",
    "correction": "更",
}


def _prefix(agency: str) -> str:
    configured = getattr(settings, "INFOREQUESTS_LETTER_NUMBER_PREFIX", "")
    if configured:
        return str(configured)
    return {"吉林省公安厅": "吉公依"}.get(agency) or f"{agency[:2]}依"


def number_stored_letters(apps: Any, schema_editor: Any) -> None:
    IssuedLetter = apps.get_model("inforequests", "IssuedLetter")
    Sequence = apps.get_model("inforequests", "LetterNumberSequence")
    agency = settings.AGENCY_NAME
    prefix = _prefix(agency)
    last: dict[tuple[int, str], int] = {}
    rows = IssuedLetter.objects.order_by("issued_on", "issued_at", "id").only("id", "kind", "issued_on")
    for row in rows.iterator():
        key = (row.issued_on.year, row.kind)
        last[key] = last.get(key, 0) + 1
        number = f"{prefix}{KIND_MARKS.get(row.kind, '')}〔{key[0]}〕{last[key]}号"
        # The plain manager: the rows are append-only for the app, the migration records the number.
        IssuedLetter._base_manager.filter(pk=row.pk).update(number=number, number_printed=False)
    for (year, kind), n in last.items():
        Sequence.objects.create(agency=agency, year=year, kind=kind, last=n)


class Migration(migrations.Migration):
    dependencies = [
        ("inforequests", "0007_personal_data_sealed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LetterNumberSequence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("agency", models.CharField(max_length=100, verbose_name="发文机关")),
                ("year", models.PositiveIntegerField(verbose_name="年份")),
                ("kind", models.CharField(max_length=30, verbose_name="文书种类")),
                ("last", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name="issuedletter",
            name="number",
            field=models.CharField(blank=True, max_length=60, verbose_name="文号"),
        ),
        migrations.AddField(
            model_name="issuedletter",
            name="number_printed",
            field=models.BooleanField(default=True, verbose_name="文号印在文书上"),
        ),
        migrations.RunPython(number_stored_letters, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="issuedletter",
            constraint=models.UniqueConstraint(
                condition=models.Q(("number", ""), _negated=True),
                fields=("number",),
                name="unique_issued_letter_number",
            ),
        ),
        migrations.AddConstraint(
            model_name="letternumbersequence",
            constraint=models.UniqueConstraint(
                fields=("agency", "year", "kind"), name="unique_letter_number_sequence"
            ),
        ),
    ]
