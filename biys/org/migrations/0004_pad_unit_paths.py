"""Unit paths become fixed-width ("00000012.00000040.") so ordering by path lists the tree depth-first."""

from django.db import migrations


def rebuild(apps, digits):
    unit_model = apps.get_model("org", "Unit")
    paths = {}
    for row in unit_model.objects.order_by("depth", "pk").values("pk", "parent_id"):
        prefix = paths.get(row["parent_id"], "") if row["parent_id"] else ""
        paths[row["pk"]] = f"{prefix}{row['pk']:0{digits}d}." if digits else f"{prefix}{row['pk']}."
        unit_model.objects.filter(pk=row["pk"]).update(path=paths[row["pk"]])


def pad(apps, schema_editor):
    rebuild(apps, 8)


def unpad(apps, schema_editor):
    rebuild(apps, 0)


class Migration(migrations.Migration):
    dependencies = [("org", "0003_duty_sensitive_help_text")]

    operations = [migrations.RunPython(pad, unpad)]
