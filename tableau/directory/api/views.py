"""Public directory API: anonymous, throttled per client address, public fields only."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from tableau.directory import selectors
from tableau.directory.api.serializers import (
    DirectoryEntrySerializer,
    DirectoryPageSerializer,
    DirectoryQuerySerializer,
)

_PLACE_FIELDS = ("mode", "name", "address", "postal_code", "city")


def _public(entry) -> dict:
    return {
        "rpps": entry.rpps,
        "last_name": entry.last_name,
        "first_name": entry.first_name,
        "council": entry.council,
        "specialties": entry.specialties,
        "places": [{k: place.get(k, "") for k in _PLACE_FIELDS} for place in entry.places],
    }


class DirectorySearchView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        operation_id="directory_search",
        parameters=[DirectoryQuerySerializer],
        responses=DirectoryPageSerializer,
    )
    def get(self, request):
        params = DirectoryQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = selectors.directory_search(selectors.DirectoryQuery(**params.validated_data))
        # Plain dicts: the serializers document the shape (OpenAPI), building it by hand
        # costs a fraction of their per-field machinery on a hot public endpoint.
        return Response(
            {
                "page": page.page,
                "page_size": page.page_size,
                "has_next": page.has_next,
                "results": [_public(entry) for entry in page.entries],
            }
        )


class DirectoryEntryView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(operation_id="directory_entry", responses=DirectoryEntrySerializer)
    def get(self, request, rpps: str):
        entry = selectors.directory_entry(rpps)
        if entry is None:
            raise Http404
        return Response(_public(entry))
