"""Binds the request context to the audit trail and records authorisation refusals."""

from django.conf import settings
from django.core.exceptions import PermissionDenied

from ordre.audit import context
from ordre.audit.services import record_event_now


def client_ip(request) -> str:
    if getattr(settings, "AUDIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with context.audit_context(
            request_id=getattr(request, "request_id", ""),
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ):
            return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            user = getattr(request, "user", None)
            record_event_now(
                actor=user if user is not None and user.is_authenticated else None,
                action="authz.access.refused",
                target_type="url",
                target_id=request.path[:64],
            )
        return None
