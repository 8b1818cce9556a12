from django.db.models.signals import post_save
from django.dispatch import receiver

from tableau.models import RegisterChange


@receiver(post_save, sender=RegisterChange, dispatch_uid="directory_refresh_on_change")
def _refresh_on_change(sender, instance: RegisterChange, created: bool, **_):
    if created:
        from tableau.directory.services import directory_refresh_from_payload

        directory_refresh_from_payload(doctor_id=instance.doctor_id, payload=instance.payload)
