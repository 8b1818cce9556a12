import json

from django.core.management.base import BaseCommand

from ordre.audit.selectors import chain_head


class Command(BaseCommand):
    help = "Affiche l'empreinte de tête du journal d'audit, à conserver hors de la plateforme."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(chain_head(), sort_keys=True))
