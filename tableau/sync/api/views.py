"""Pull API for council systems: read the changes after a position, then acknowledge.

Authenticated by an API key carrying the `councils.sync` scope and bound to the
council (`ApiKey.council_code`): a key of council A cannot read council B's feed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ordre.api.authentication import api_key_of
from ordre.api.permissions import HasApiKeyScope
from ordre.audit.actors import SystemActor
from tableau.sync import selectors, services
from tableau.sync.api.serializers import (
    AcknowledgeSerializer,
    ChangesPageSerializer,
    ChangesQuerySerializer,
    FeedStateSerializer,
)
from tableau.sync.models import CouncilFeed


class _CouncilFeedView(APIView):
    permission_classes = [HasApiKeyScope]
    required_scopes = ("councils.sync",)

    def get_feed(self, request, council_code: str) -> CouncilFeed:
        key = api_key_of(request)
        # Same answer for "not yours" and "does not exist": nothing to learn by probing.
        if key is None or key.council_code != council_code:
            raise Http404
        try:
            return CouncilFeed.objects.get(council_id=council_code, enabled=True)
        except CouncilFeed.DoesNotExist:
            raise Http404 from None


class ChangesView(_CouncilFeedView):
    @extend_schema(parameters=[ChangesQuerySerializer], responses=ChangesPageSerializer)
    def get(self, request, council_code: str):
        feed = self.get_feed(request, council_code)
        query = ChangesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        after, limit = query.validated_data["after"], query.validated_data["limit"]
        changes = selectors.changes_for_council(
            council_code=council_code, after=after, limit=limit + 1
        )
        has_more = len(changes) > limit
        changes = changes[:limit]
        next_after = changes[-1].id if changes else after
        services.record_pull(
            council_code=council_code, after=after, changes=len(changes), to_position=next_after
        )
        return Response(
            {
                "council": council_code,
                "after": after,
                "next_after": next_after,
                "has_more": has_more,
                "acknowledged_position": feed.acknowledged_position,
                "changes": [selectors.serialize_change(c) for c in changes],
            }
        )


class AcknowledgeView(_CouncilFeedView):
    @extend_schema(request=AcknowledgeSerializer, responses=FeedStateSerializer)
    def post(self, request, council_code: str):
        self.get_feed(request, council_code)
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        key = api_key_of(request)
        try:
            with transaction.atomic():
                feed = services.feed_acknowledge(
                    actor=SystemActor(f"api-key:{key.name}"),
                    council_code=council_code,
                    position=body.validated_data["position"],
                )
        except ValidationError as exc:
            raise ApiValidationError({"position": exc.messages}) from exc
        return Response(FeedStateSerializer(feed).data)
