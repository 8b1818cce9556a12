"""The project's URLs plus a bare view, for benchmarks only (ORDRE_ROOT_URLCONF)."""

from django.db import connection
from django.http import JsonResponse
from django.urls import path

from ordre.urls import urlpatterns as project_urlpatterns
from tableau.directory.normalise import normalise


def bare_search(request):
    """The same search as the API, in raw SQL, with no framework around it."""
    tokens = normalise(request.GET.get("q", "")).split()[:6]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rpps, last_name, first_name, council, specialties, places "
            "FROM tableau_directory_directoryentry WHERE listed AND search @@ to_tsquery('simple', %s) "
            "ORDER BY ts_rank(search, to_tsquery('simple', %s)) DESC, sort_name, rpps LIMIT 21",
            [" & ".join(f"{t}:*" for t in tokens), " | ".join(tokens)],
        )
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return JsonResponse({"results": rows})


urlpatterns = [path("bench/bare-search/", bare_search), *project_urlpatterns]
