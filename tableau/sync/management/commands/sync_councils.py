from django.core.management.base import BaseCommand, CommandError

from ordre.audit.context import audit_context
from tableau.sync import selectors, services
from tableau.sync.models import SyncRun


class Command(BaseCommand):
    help = "Pousse aux conseils les changements du tableau qu'ils n'ont pas acquittés."

    def add_arguments(self, parser):
        parser.add_argument("--council", help="Code du conseil (par défaut : tous).")

    def handle(self, *args, council=None, **options):
        feeds = list(selectors.feeds_to_run(council).exclude(push_url=""))
        if council and not feeds:
            raise CommandError(f"no enabled push feed for council {council}")
        failures = 0
        with audit_context(command="sync_councils"):
            run = services.run_start(trigger=SyncRun.Trigger.MANUAL, councils=len(feeds))
            for feed in feeds:
                try:
                    delivery = services.deliver_push(council_code=feed.council_id, run_id=run.pk)
                except services.DeliveryError as exc:
                    failures += 1
                    self.stderr.write(f"{feed.council_id}: failed ({exc})")
                    continue
                self.stdout.write(
                    f"{feed.council_id}: {delivery.status}, {delivery.changes} changes"
                )
            services.run_finish_if_done(run_id=run.pk)
        if failures:
            raise CommandError(f"{failures} council(s) failed; they will be retried")
