"""A fee pause used to store the applicant's name as its "party", and the case page printed it
unmasked to everyone who could open the case (issue 7). A fee notice is sent to the applicant, who
is on the case already: the pause names no one. This blanks the name on the pauses stored before."""

from django.db import migrations


def blank_fee_pause_party(apps, schema_editor):
    Pause = apps.get_model("inforequests", "Pause")
    Pause.objects.filter(kind="fee").exclude(party="").update(party="")


class Migration(migrations.Migration):
    dependencies = [("inforequests", "0004_issued_letters_and_template_versions")]

    # Nothing to restore going back: the name was never the pause's own.
    operations = [migrations.RunPython(blank_fee_pause_party, migrations.RunPython.noop)]
