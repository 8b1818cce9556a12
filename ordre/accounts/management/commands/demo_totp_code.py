from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Affiche le code TOTP courant d’un compte (développement seulement), pour passer "
        "la double authentification des comptes de démonstration sans téléphone."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("Refusé en production.")
        device = (
            TOTPDevice.objects.filter(user__username=username, confirmed=True)
            .order_by("-id")
            .first()
        )
        if device is None:
            raise CommandError(f"Aucune application d’authentification pour {username!r}.")
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
