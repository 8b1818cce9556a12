from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ordre.ops"
    label = "ops"
    verbose_name = "Exploitation"
