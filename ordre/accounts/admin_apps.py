"""The admin app, with Ordre's admin site as `admin.site` (see admin_site.py).

Kept apart from admin_site.py: an AppConfig module is imported before models load.
"""

from django.contrib.admin.apps import AdminConfig


class OrdreAdminConfig(AdminConfig):
    default_site = "ordre.accounts.admin_site.OrdreAdminSite"
