from django.core.management.base import BaseCommand, CommandError

from ordre.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Vérifie la chaîne d'empreintes du journal d'audit (code de sortie non nul si rompue)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, batch_size, **options):
        checked, broken = verify_chain(batch_size=batch_size)
        if broken is not None:
            raise CommandError(
                f"audit chain broken at event id={broken.event_id}: {broken.reason} "
                f"({checked} events verified before it)"
            )
        self.stdout.write(f"audit chain intact: {checked} events verified")
