"""Create one group per role (names of ordre.accounts.roles, copied: migrations are frozen)."""

from django.db import migrations

ROLES = (
    "medecin",
    "demandeur",
    "instructeur",
    "professionnel_hospitalier",
    "patient",
    "admin_si",
)


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_backup_codes_sessions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
