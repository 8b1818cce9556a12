"""The project's URLs plus a bare view, for benchmarks only (ORDRE_ROOT_URLCONF)."""

from django.db import connection
from django.http import JsonResponse
from django.urls import path

from bench.bare_directory import bare_search as bare_search_sql
from ordre.urls import urlpatterns as project_urlpatterns
from tableau.normalise import normalise


def bare_search(request):
    """The same search as the API (whole words, then prefixes), in raw SQL, no framework."""
    tokens = normalise(request.GET.get("q", "")).split()[:6]
    with connection.cursor() as cursor:
        rows = bare_search_sql(cursor, tokens)[:20]
    keys = ("rpps", "last_name", "first_name", "council", "specialties", "places")
    return JsonResponse({"results": [dict(zip(keys, row, strict=True)) for row in rows]})


urlpatterns = [path("bench/bare-search/", bare_search), *project_urlpatterns]
