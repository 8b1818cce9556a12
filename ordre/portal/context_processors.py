from django.conf import settings


def portal(request):
    """Values every page of the portal needs, without a database query."""
    return {"ORDRE_ENV": settings.ORDRE_ENV, "SITE_TITLE": "Ordre des médecins"}
