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


class DirectorySearchView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(parameters=[DirectoryQuerySerializer], responses=DirectoryPageSerializer)
    def get(self, request):
        params = DirectoryQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = selectors.directory_search(selectors.DirectoryQuery(**params.validated_data))
        return Response(DirectoryPageSerializer(page).data)


class DirectoryEntryView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=DirectoryEntrySerializer)
    def get(self, request, rpps: str):
        entry = selectors.directory_entry(rpps)
        if entry is None:
            raise Http404
        return Response(DirectoryEntrySerializer(entry).data)
