import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from ordre.audit.services import record_event, record_event_now
from ordre.crypto.exceptions import CryptoError
from ordre.documents import selectors
from ordre.documents.permissions import can_download

logger = logging.getLogger(__name__)


def _guarded(chunks, document_id):
    try:
        yield from chunks
    except CryptoError:
        # Headers are gone already: cut the body short (Content-Length makes it visible).
        logger.error("document %s failed authentication while streaming", document_id)


@login_required
@require_GET
def download(request, document_id):
    document = selectors.document_get(document_id=document_id)
    if document is None:
        raise Http404
    if not can_download(request.user, document):
        record_event_now(
            actor=request.user,
            action="documents.document.download_refused",
            target=document,
            subject=document.subject,
        )
        raise PermissionDenied
    if not document.is_ready:
        raise Http404
    with transaction.atomic():
        record_event(
            actor=request.user,
            action="documents.document.downloaded",
            target=document,
            subject=document.subject,
        )
    response = StreamingHttpResponse(
        _guarded(selectors.document_content(document), document.pk),
        content_type=document.content_type,
    )
    response["Content-Disposition"] = content_disposition_header(True, document.original_filename)
    response["Content-Length"] = str(document.size)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
