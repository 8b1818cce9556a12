from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ordre.audit"
    label = "audit"
    verbose_name = "Journal d'audit"

    def ready(self):
        from ordre.audit import signals  # noqa: F401 - connects the receivers
