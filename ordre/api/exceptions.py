"""The DRF exception handler: every API error becomes `application/problem+json`.

Exceptions DRF does not know (bugs) are re-raised: Django logs them and answers a 500,
which `ordre.api.middleware.ApiProblemMiddleware` turns into a problem that leaks nothing.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ordre.api.problems import PROBLEM_CONTENT_TYPE, VALIDATION_TYPE, problem


def _flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as `{"field.sub.0.name": ["message", ...]}`."""
    errors: dict[str, list[str]] = {}
    non_field = settings.REST_FRAMEWORK.get("NON_FIELD_ERRORS_KEY", "non_field_errors")
    if isinstance(detail, dict):
        for key, value in detail.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            for sub_path, messages in _flatten_errors(value, path).items():
                errors.setdefault(sub_path, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            errors[prefix or non_field] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if not item:
                    continue
                path = f"{prefix}.{index}" if prefix else str(index)
                for sub_path, messages in _flatten_errors(item, path).items():
                    errors.setdefault(sub_path, []).extend(messages)
    else:
        errors[prefix or non_field] = [str(detail)]
    return errors


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: let Django log it and answer 500
    request = context.get("request")
    status = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            request,
            status=status,
            type_=VALIDATION_TYPE,
            detail=_("Les données envoyées ne sont pas valides."),
            errors=_flatten_errors(exc.detail),
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else None
        if isinstance(detail, list | dict):
            detail = " ".join(" ".join(messages) for messages in _flatten_errors(detail).values())
        body = problem(request, status=status, detail=detail)
        if isinstance(exc, exceptions.Throttled) and "Retry-After" in response:
            body["retry_after"] = int(response["Retry-After"])
    headers = {
        name: value
        for name, value in response.items()
        if name.lower() not in {"content-type", "content-length"}
    }
    return Response(body, status=status, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
