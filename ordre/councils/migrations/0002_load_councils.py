"""Load the councils from the reference data copied into the repository.

See `ordre/councils/reference.py` (kept backward compatible for this migration).
"""

from django.db import migrations

from ordre.councils.reference import load_councils


def load(apps, schema_editor):
    load_councils(apps.get_model("councils", "Council"))


def unload(apps, schema_editor):
    apps.get_model("councils", "Council").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
