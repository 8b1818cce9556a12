"""Portal pages: home, the mandatory legal pages, and the error pages.

The error handlers render with a minimal context and never echo the request path,
the exception or any setting. The 500 page renders without a request context, so
it works when the database or a context processor is what failed.
"""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


def home(request):
    return render(request, "portal/home.html")


def accessibility(request):
    return render(request, "portal/accessibility.html")


def legal_notice(request):
    return render(request, "portal/legal_notice.html")


def personal_data(request):
    return render(request, "portal/personal_data.html")


def sitemap(request):
    return render(request, "portal/sitemap.html")


def _error(request, template_name: str, status: int):
    return render(request, template_name, {"is_error_page": True}, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error(request, "404.html", 404)


def server_error(request):
    # No request, no context processors: nothing here may touch the database.
    return HttpResponseServerError(loader.get_template("500.html").render({"is_error_page": True}))
