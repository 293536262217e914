"""A reminder e-mail is a digest: it lists the inquiries and proposals it reminded of (many), not one."""

from django.db import migrations, models


def copy_items(apps, schema_editor):
    """Each mail sent before the digest keeps the one item it named."""
    ReminderMail = apps.get_model("engagement", "ReminderMail")
    for mail in ReminderMail.objects.exclude(inquiry=None, proposal=None).iterator():
        if mail.inquiry_id is not None:
            mail.inquiries.add(mail.inquiry_id)
        if mail.proposal_id is not None:
            mail.proposals.add(mail.proposal_id)


def copy_back(apps, schema_editor):
    """Backwards: the first item of each digest (a digest of several cannot be told apart)."""
    ReminderMail = apps.get_model("engagement", "ReminderMail")
    for mail in ReminderMail.objects.iterator():
        mail.inquiry = mail.inquiries.order_by("pk").first()
        mail.proposal = None if mail.inquiry else mail.proposals.order_by("pk").first()
        mail.save(update_fields=["inquiry", "proposal"])


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0002_proposal_reminded_on_remindermail"),
    ]

    operations = [
        # The old keys give up their reverse name first, so the new fields can take it.
        migrations.AlterField(
            model_name="remindermail",
            name="inquiry",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="engagement.inquiry",
            ),
        ),
        migrations.AlterField(
            model_name="remindermail",
            name="proposal",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="engagement.proposal",
            ),
        ),
        migrations.AddField(
            model_name="remindermail",
            name="inquiries",
            field=models.ManyToManyField(blank=True, related_name="reminder_mails", to="engagement.inquiry"),
        ),
        migrations.AddField(
            model_name="remindermail",
            name="proposals",
            field=models.ManyToManyField(blank=True, related_name="reminder_mails", to="engagement.proposal"),
        ),
        migrations.RunPython(copy_items, copy_back),
        migrations.RemoveField(model_name="remindermail", name="inquiry"),
        migrations.RemoveField(model_name="remindermail", name="proposal"),
        migrations.AlterField(
            model_name="remindermail",
            name="overdue",
            field=models.BooleanField(default=False, verbose_name="含已超期事项"),
        ),
    ]
