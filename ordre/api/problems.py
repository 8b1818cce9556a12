"""RFC 9457 problem details (`application/problem+json`), shared by the DRF exception
handler and the middleware that covers errors raised outside DRF views.

Members: `type` (`about:blank` for a plain HTTP status, whose `title` is then the
status phrase, localised as RFC 9457 s.4.2.1 allows; a `urn:ordre:problem:*` URI for
problems with extra members), `title`, `status`, `detail`, `instance` (the request
path), plus `request_id` so a client can quote it to the support, and `errors`
(field → messages) for validation problems.
"""

import json
from http import HTTPStatus

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

PROBLEM_CONTENT_TYPE = "application/problem+json"
ABOUT_BLANK = "about:blank"
VALIDATION_TYPE = "urn:ordre:problem:validation"

TITLES = {
    400: _("Requête invalide"),
    401: _("Authentification requise"),
    403: _("Accès refusé"),
    404: _("Ressource introuvable"),
    405: _("Méthode non autorisée"),
    406: _("Format de réponse non disponible"),
    409: _("Conflit"),
    410: _("Ressource supprimée"),
    413: _("Requête trop volumineuse"),
    415: _("Type de contenu non pris en charge"),
    429: _("Trop de requêtes"),
    500: _("Erreur interne du serveur"),
    502: _("Passerelle défaillante"),
    503: _("Service indisponible"),
    504: _("Délai de la passerelle dépassé"),
}

DETAILS = {
    400: _("La requête n'a pas pu être traitée."),
    401: _("Authentifiez-vous pour accéder à cette ressource."),
    403: _("Vous n'avez pas le droit d'effectuer cette action."),
    404: _("La ressource demandée n'existe pas."),
    405: _("Cette méthode n'est pas autorisée pour cette ressource."),
    429: _("Trop de requêtes ; réessayez plus tard."),
    500: _(
        "Une erreur interne est survenue. Elle a été enregistrée ; réessayez plus tard "
        "et citez l'identifiant de la requête si vous contactez le support."
    ),
    503: _("Le service est momentanément indisponible ; réessayez plus tard."),
}


def title_for(status: int) -> str:
    if status in TITLES:
        return str(TITLES[status])
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return str(TITLES[500] if status >= 500 else TITLES[400])


def default_detail_for(status: int) -> str:
    if status in DETAILS:
        return str(DETAILS[status])
    return str(DETAILS[500] if status >= 500 else DETAILS[400])


def problem(
    request,
    *,
    status: int,
    detail: str | None = None,
    type_: str = ABOUT_BLANK,
    title: str | None = None,
    **extensions,
) -> dict:
    """The body of a problem, as a dict."""
    body = {
        "type": type_,
        "title": title or title_for(status),
        "status": status,
        "detail": str(detail) if detail else default_detail_for(status),
        "instance": request.path if request is not None else None,
    }
    request_id = getattr(request, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    body.update(extensions)
    return body


def problem_response(request, *, status: int, headers=None, **kwargs) -> HttpResponse:
    """A plain Django response carrying a problem (for code outside DRF views)."""
    response = HttpResponse(
        json.dumps(problem(request, status=status, **kwargs), ensure_ascii=False),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
