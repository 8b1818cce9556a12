"""The project's URLs plus views that fail on purpose, to exercise the error pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import path

from ordre.urls import handler400, handler403, handler404, handler500  # noqa: F401
from ordre.urls import urlpatterns as project_urlpatterns

SECRET = "secret-message-7f3a"


def boom(request):
    raise RuntimeError(SECRET)


def forbidden(request):
    raise PermissionDenied(SECRET)


def suspicious(request):
    raise SuspiciousOperation(SECRET)


def missing(request):
    raise Http404(SECRET)


urlpatterns = [
    path("test-erreurs/500/", boom),
    path("test-erreurs/403/", forbidden),
    path("test-erreurs/400/", suspicious),
    path("test-erreurs/404/", missing),
    *project_urlpatterns,
]
