"""Issue an API key from the command line; prints the key once."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ordre.api.scopes import known_scopes
from ordre.api.services import issue_api_key
from ordre.audit.actors import SystemActor
from ordre.audit.context import audit_context


class Command(BaseCommand):
    help = "Émet une clé d'API (la clé n'est affichée qu'une fois)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Nom unique de la clé.")
        parser.add_argument(
            "--scope",
            dest="scopes",
            action="append",
            default=[],
            help="Portée accordée (répétable). Connues : " + ", ".join(known_scopes()),
        )
        parser.add_argument("--owner", default="", help="Système ou organisme détenteur.")
        parser.add_argument("--council", default="", help="Code du conseil, le cas échéant.")
        parser.add_argument(
            "--expires-in-days", type=int, default=None, help="Durée de validité en jours."
        )

    def handle(self, *args, name, scopes, owner, council, expires_in_days, **options):
        expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        try:
            with audit_context(command="issue_api_key"):
                issued = issue_api_key(
                    actor=SystemActor("command:issue_api_key"),
                    name=name,
                    scopes=scopes,
                    owner=owner,
                    council_code=council,
                    expires_at=expires_at,
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stderr.write(
            f"Clé « {issued.key.name} » émise ; copiez-la maintenant, elle ne sera plus affichée :"
        )
        self.stdout.write(issued.secret)
