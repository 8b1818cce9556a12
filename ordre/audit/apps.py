from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ordre.audit"
    label = "audit"
    verbose_name = "Journal d'audit"
