from django.db import migrations


def create_head(apps, schema_editor):
    apps.get_model("core", "ChangeLogHead").objects.get_or_create(pk=1)


def remove_head(apps, schema_editor):
    apps.get_model("core", "ChangeLogHead").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    """The chain head row exists before the first entry, so appenders only ever lock it."""

    dependencies = [("core", "0002_initial")]

    operations = [migrations.RunPython(create_head, remove_head)]
