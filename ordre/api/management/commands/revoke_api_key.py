"""Revoke an API key by name or prefix."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from ordre.api.models import ApiKey
from ordre.api.services import revoke_api_key
from ordre.audit.actors import SystemActor
from ordre.audit.context import audit_context


class Command(BaseCommand):
    help = "Révoque une clé d'API, désignée par son nom ou son préfixe."

    def add_arguments(self, parser):
        parser.add_argument("key", help="Nom ou préfixe de la clé.")
        parser.add_argument("--reason", default="", help="Motif de la révocation.")

    def handle(self, *args, key, reason, **options):
        found = ApiKey.objects.filter(Q(name=key) | Q(prefix=key)).first()
        if found is None:
            raise CommandError(f"Aucune clé nommée ou préfixée « {key} ».")
        with audit_context(command="revoke_api_key"):
            revoke_api_key(actor=SystemActor("command:revoke_api_key"), key=found, reason=reason)
        self.stdout.write(f"Clé « {found.name} » révoquée.")
