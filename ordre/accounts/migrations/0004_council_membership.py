import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_role_groups"),
        ("councils", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CouncilMembership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(choices=[("clerk", "Instructeur"), ("rapporteur", "Rapporteur"), ("secretary", "Secrétaire général"), ("president", "Président")], default="clerk", max_length=20, verbose_name="fonction")),
                ("since", models.DateField(verbose_name="depuis le")),
                ("council", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="councils.council", verbose_name="conseil")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="council_memberships", to=settings.AUTH_USER_MODEL, verbose_name="utilisateur")),
            ],
            options={
                "verbose_name": "appartenance à un conseil",
                "verbose_name_plural": "appartenances à un conseil",
                "constraints": [models.UniqueConstraint(fields=("user", "council", "role"), name="accounts_councilmembership_unique")],
            },
        ),
    ]
