from django.core.management.base import BaseCommand

from ordre.ops.demo import demo_modules


class Command(BaseCommand):
    help = "Affiche les comptes de démonstration."

    def handle(self, *args, **options):
        rows = [row for m in demo_modules() if hasattr(m, "logins") for row in m.logins()]
        if not rows:
            self.stdout.write("No demo logins.")
            return
        self.stdout.write("Demo logins:")
        for row in rows:
            note = f"  ({row['note']})" if row.get("note") else ""
            self.stdout.write(f"  {row['role']:<28} {row['login']:<24} {row['password']}{note}")
