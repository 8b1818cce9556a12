"""The FHIR R4 endpoint of the public directory (`/fhir/`): anonymous, rate-limited per
client like the directory pages, `application/fhir+json`, errors as OperationOutcome."""

import json
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from tableau.directory import ratelimit
from tableau.fhir import resources, selectors
from tableau.fhir.resources import PRACTITIONER, PRACTITIONER_ROLE

CONTENT_TYPE = "application/fhir+json; charset=utf-8"


def fhir_response(body: dict, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        content_type=CONTENT_TYPE,
        status=status,
    )
    response["Cache-Control"] = "no-store" if status >= 400 else "public, max-age=60"
    return response


def outcome(status: int, code: str, message: str) -> HttpResponse:
    return fhir_response(resources.operation_outcome(code, message), status=status)


def fhir_view(view):
    """GET only, rate-limited per client; answers in FHIR JSON."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = outcome(405, "not-supported", _("Seules les lectures sont proposées."))
            response["Allow"] = "GET, HEAD"
            return response
        if not ratelimit.allow(request, scope="fhir"):
            return outcome(429, "throttled", _("Trop de requêtes : réessayez dans une minute."))
        return view(request, *args, **kwargs)

    return wrapper


def _base_url(request) -> str:
    return request.build_absolute_uri(reverse("fhir:metadata")).removesuffix("metadata")


def _full_url(request, resource: dict) -> str:
    return f"{_base_url(request)}{resource['resourceType']}/{resource['id']}"


@fhir_view
def metadata(request):
    return fhir_response(resources.capability_statement(base_url=_base_url(request)))


def _search(request, resource_type: str):
    params = [(k, v) for k in request.GET for v in request.GET.getlist(k)]
    try:
        search = selectors.parse_search(resource_type, params)
        page = selectors.run_search(search)
    except selectors.SearchError as error:
        return outcome(400, "invalid", str(error))
    url = f"{_base_url(request)}{resource_type}"
    self_url = f"{url}?{urlencode(search.params)}" if search.params else url
    next_url = None
    if page.next_cursor:
        next_url = f"{url}?{urlencode([*search.params, ('_cursor', page.next_cursor)])}"
    entries = []
    if resource_type == PRACTITIONER:
        for entry in page.entries:
            practitioner = resources.practitioner(entry)
            entries.append((_full_url(request, practitioner), practitioner, "match"))
        if search.include_related:
            for entry in page.entries:
                for role in resources.roles(entry):
                    entries.append((_full_url(request, role), role, "include"))
    else:
        included = {}
        for entry, n, _place in page.roles:
            role = resources.roles(entry)[n - 1]
            entries.append((_full_url(request, role), role, "match"))
            if search.include_related and entry.rpps not in included:
                included[entry.rpps] = resources.practitioner(entry)
        for practitioner in included.values():
            entries.append((_full_url(request, practitioner), practitioner, "include"))
    return fhir_response(resources.bundle(self_url=self_url, next_url=next_url, entries=entries))


def _not_found(resource_type: str, resource_id: str) -> HttpResponse:
    return outcome(
        404,
        "not-found",
        _("%(type)s/%(id)s introuvable.") % {"type": resource_type, "id": resource_id},
    )


@fhir_view
def practitioner_search(request):
    return _search(request, PRACTITIONER)


@fhir_view
def practitioner_role_search(request):
    return _search(request, PRACTITIONER_ROLE)


@fhir_view
def practitioner_read(request, resource_id: str):
    entry = selectors.practitioner_by_id(resource_id)
    if entry is None:
        return _not_found(PRACTITIONER, resource_id)
    return fhir_response(resources.practitioner(entry))


@fhir_view
def practitioner_role_read(request, resource_id: str):
    rpps, _sep, n = resource_id.rpartition("-")
    entry = selectors.practitioner_by_id(rpps) if n.isdigit() else None
    roles = resources.roles(entry) if entry else []
    if not roles or not 1 <= int(n) <= len(roles):
        return _not_found(PRACTITIONER_ROLE, resource_id)
    return fhir_response(roles[int(n) - 1])


@fhir_view
def unknown_resource(request, resource_type: str, rest: str = ""):
    return outcome(
        404,
        "not-supported",
        _("Type de ressource non proposé : %(type)s.") % {"type": resource_type},
    )
