from django.core.management.base import BaseCommand
from django.db import transaction

from ordre.ops.demo import demo_modules


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent)."

    def handle(self, *args, **options):
        for module in demo_modules():
            if hasattr(module, "load"):
                with transaction.atomic():
                    module.load()
                self.stdout.write(f"demo data loaded: {module.__name__}")
