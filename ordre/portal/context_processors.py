from django.conf import settings
from django.utils.functional import SimpleLazyObject

from ordre.portal import navigation


def portal(request):
    """Values every page of the portal needs, without a database query.

    (It replaces `dsfr.context_processors.site_config`, which reads its configuration
    from the database on every page.)
    """
    return {
        "ORDRE_ENV": settings.ORDRE_ENV,
        "SITE_TITLE": "Ordre des médecins",
        "portal_nav": SimpleLazyObject(lambda: navigation.entries_for(request)),
    }
