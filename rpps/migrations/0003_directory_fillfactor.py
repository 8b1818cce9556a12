from django.db import migrations


class Migration(migrations.Migration):
    """Room in each page so that moving `last_seen` on an unchanged row (every import)
    is a heap-only update: no index entry is written (`last_seen` is not indexed)."""

    dependencies = [("rpps", "0002_directory_keys_and_reasons")]

    operations = [
        migrations.RunSQL(
            sql="ALTER TABLE rpps_directoryentry SET (fillfactor = 45)",
            reverse_sql="ALTER TABLE rpps_directoryentry RESET (fillfactor)",
        ),
    ]
