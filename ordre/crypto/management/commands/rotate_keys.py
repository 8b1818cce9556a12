"""Re-encrypt every encrypted value under the active key (first of ORDRE_CRYPTO_KEYS).

    python manage.py rotate_keys [--batch-size 500] [--model app.Model] [--dry-run]

Procedure: put the new key first in ORDRE_CRYPTO_KEYS (old keys stay listed), deploy,
run this command until it reports nothing remaining, then remove the old key.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from ordre.audit.actors import SystemActor
from ordre.audit.context import audit_context
from ordre.audit.services import record_event_now
from ordre.crypto.keyring import get_keyring
from ordre.crypto.rotation import (
    models_with_encrypted_fields,
    registered_rotators,
    rotate_model,
)


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value under the active key, in resumable batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--model", action="append", default=[], help="app_label.Model (repeatable)"
        )
        parser.add_argument("--dry-run", action="store_true", help="only count what remains")

    def handle(self, *args, batch_size, model, dry_run, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be positive")
        keyring = get_keyring()
        targets = [apps.get_model(label) for label in model] or models_with_encrypted_fields()
        actor = SystemActor("command:rotate_keys")
        failures = remaining = 0
        self.stdout.write(f"Active key: {keyring.active_id}")
        with audit_context(command="rotate_keys"):
            reports = [
                rotate_model(m, batch_size=batch_size, keyring=keyring, dry_run=dry_run)
                for m in targets
            ]
            if not model:
                reports += [
                    rotator(keyring=keyring, batch_size=batch_size, dry_run=dry_run)
                    for rotator in registered_rotators().values()
                ]
            for report in reports:
                failures += report.failures
                remaining += report.remaining
                self.stdout.write(
                    f"{report.label}: {report.values_rotated} values in {report.rows_rotated} "
                    f"rows re-encrypted, {report.failures} failures, {report.remaining} remaining"
                )
                if report.values_rotated or report.failures:
                    record_event_now(
                        actor=actor,
                        action="crypto.keys.rotated",
                        target_type=report.label.lower(),
                        reason=(
                            f"{report.values_rotated} valeurs dans {report.rows_rotated} lignes "
                            f"rechiffrées sous la clé {keyring.active_id} ; "
                            f"{report.failures} échecs ; {report.remaining} restantes"
                        ),
                    )
        if failures:
            raise CommandError(
                f"{failures} values could not be decrypted (unknown key or tampered)"
            )
        if remaining and not dry_run:
            self.stdout.write(
                self.style.WARNING(f"{remaining} rows remain (locked or failing): run again")
            )
        else:
            self.stdout.write(self.style.SUCCESS("Done."))
