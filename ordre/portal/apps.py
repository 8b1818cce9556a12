from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ordre.portal"
    label = "portal"
    verbose_name = "Portail"
