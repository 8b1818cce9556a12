"""Problem details for errors under `/api/` that no DRF view answered.

Django's own error pages (an unknown URL, an unhandled exception, a CSRF failure, a
bad Host) are HTML, rendered by the portal's handlers. Under `/api/`, this middleware
replaces any such HTML error answer by `application/problem+json`, generic and
leaking nothing. The portal keeps its HTML pages everywhere else.

Place it after `LocaleMiddleware` so titles follow the negotiated language.
"""

from ordre.api.problems import PROBLEM_CONTENT_TYPE, problem_response

API_PATH_PREFIX = "/api/"
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary", "Content-Language")


class ApiProblemMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path_info.startswith(API_PATH_PREFIX)
            and not response.get("Content-Type", "").startswith(
                (PROBLEM_CONTENT_TYPE, "application/json")
            )
            and not getattr(response, "streaming", False)
        ):
            headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
            return problem_response(request, status=response.status_code, headers=headers)
        return response
