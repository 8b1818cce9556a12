from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from tableau.directory import ratelimit, selectors
from tableau.directory.forms import DirectorySearchForm
from tableau.nomenclature import practice_mode_label, specialty_label


def _too_many(request):
    response = render(request, "directory/too_many.html", status=429)
    response["Retry-After"] = "60"
    return response


def search(request):
    if not ratelimit.allow(request, scope="directory-page"):
        return _too_many(request)
    form = DirectorySearchForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = selectors.DirectoryQuery(
            q=data["q"], rpps=data["rpps"], specialty=data["specialty"],
            department=data["department"], city=data["city"], mode=data["mode"],
            page=data["page"] or 1,
        )  # fmt: skip
        result = selectors.directory_search(query)
        if query.is_empty():
            form.add_error(None, _("Indiquez au moins un critère de recherche."))
            result = None
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "directory/search.html",
        {"form": form, "result": result, "querystring": params.urlencode()},
    )


def detail(request, rpps: str):
    if not ratelimit.allow(request, scope="directory-page"):
        return _too_many(request)
    entry = selectors.directory_entry(rpps)
    if entry is None:
        raise Http404
    return render(
        request,
        "directory/detail.html",
        {
            "entry": entry,
            "specialties": [specialty_label(c) or c for c in entry.specialties],
            "places": [
                {**p, "mode_label": practice_mode_label(p.get("mode")) or p.get("mode")}
                for p in entry.places
            ],
        },
    )


def bulk_files(request):
    from tableau.directory.models import BulkFile

    files = BulkFile.objects.order_by("-day", "kind")[:30]
    return render(request, "directory/bulk_files.html", {"files": files})


def bulk_file_download(request, pk: int):
    from django.core.files.storage import default_storage
    from django.http import FileResponse
    from django.shortcuts import get_object_or_404

    from tableau.directory.models import BulkFile

    if not ratelimit.allow(request, scope="directory-bulk"):
        return _too_many(request)
    bulk = get_object_or_404(BulkFile, pk=pk)
    response = FileResponse(
        default_storage.open(bulk.storage_name, "rb"), as_attachment=True, filename=bulk.filename,
        content_type="application/gzip",
    )  # fmt: skip
    response["Digest"] = f"sha-256={bulk.sha256}"
    return response
