"""One flowchart per procedure of an item: `FlowStep.procedure`, and the published charts move
from `ItemVersion.flowchart_svg` / `flowchart_text` to `Flowchart` rows (copied, then dropped)."""

import django.db.models.deletion
from django.db import migrations, models


def charts_from_versions(apps, schema_editor):
    """A version published before procedures had its one flowchart on the version itself."""
    ItemVersion = apps.get_model("powers", "ItemVersion")
    Flowchart = apps.get_model("powers", "Flowchart")
    Flowchart.objects.bulk_create(
        Flowchart(version_id=pk, position=1, procedure="", svg=svg, text=text)
        for pk, svg, text in ItemVersion.objects.exclude(flowchart_svg="").values_list(
            "pk", "flowchart_svg", "flowchart_text"
        )
    )


def versions_from_charts(apps, schema_editor):
    ItemVersion = apps.get_model("powers", "ItemVersion")
    Flowchart = apps.get_model("powers", "Flowchart")
    for chart in Flowchart.objects.filter(position=1):
        ItemVersion.objects.filter(pk=chart.version_id).update(
            flowchart_svg=chart.svg, flowchart_text=chart.text
        )


class Migration(migrations.Migration):
    dependencies = [
        ("powers", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Flowchart",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(verbose_name="序号")),
                ("procedure", models.CharField(blank=True, max_length=100, verbose_name="程序")),
                ("svg", models.TextField(verbose_name="流程图")),
                ("text", models.TextField(blank=True, verbose_name="流程图文字说明")),
            ],
            options={
                "verbose_name": "权力运行流程图",
                "verbose_name_plural": "权力运行流程图",
                "ordering": ["version", "position"],
            },
        ),
        migrations.AlterModelOptions(
            name="flowstep",
            options={
                "ordering": ["item", "id"],
                "verbose_name": "流程步骤",
                "verbose_name_plural": "流程步骤",
            },
        ),
        migrations.RemoveConstraint(
            model_name="flowstep",
            name="flowstep_item_number",
        ),
        migrations.AddField(
            model_name="flowstep",
            name="procedure",
            field=models.CharField(blank=True, max_length=100, verbose_name="程序"),
        ),
        migrations.AddConstraint(
            model_name="flowstep",
            constraint=models.UniqueConstraint(
                fields=("item", "procedure", "number"), name="flowstep_item_procedure_number"
            ),
        ),
        migrations.AddField(
            model_name="flowchart",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="flowcharts",
                to="powers.itemversion",
            ),
        ),
        migrations.AddConstraint(
            model_name="flowchart",
            constraint=models.UniqueConstraint(
                fields=("version", "position"), name="flowchart_version_position"
            ),
        ),
        migrations.RunPython(charts_from_versions, versions_from_charts),
        migrations.RemoveField(
            model_name="itemversion",
            name="flowchart_svg",
        ),
        migrations.RemoveField(
            model_name="itemversion",
            name="flowchart_text",
        ),
    ]
