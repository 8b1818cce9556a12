"""Views that exist only in tests, to provoke each kind of API error."""

import uuid

from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from ordre.api.models import ApiKey
from ordre.api.throttling import ApiKeyRateThrottle

RUN = uuid.uuid4().hex  # throttle counters of this test process only


class BoomView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("internal detail: SELECT secret FROM vault")


class DossierSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    born_on = serializers.DateField()
    address = serializers.DictField(child=serializers.CharField(max_length=3))

    def validate(self, attrs):
        if attrs.get("name") == "bad":
            raise serializers.ValidationError("Combinaison refusée.")
        return attrs


class ValidateView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        serializer = DossierSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class TightThrottle(SimpleRateThrottle):
    rate = "2/minute"

    def get_cache_key(self, request, view):
        return f"throttle_test_{RUN}_{request.query_params.get('run', '')}"


class ThrottledView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [TightThrottle]

    def get(self, request):
        return Response({"ok": True})


class TightApiKeyThrottle(ApiKeyRateThrottle):
    scope = f"test_api_key_{RUN}"
    rate = "2/minute"


class KeyThrottledView(APIView):
    required_scopes = ("api.ping",)
    throttle_classes = [TightApiKeyThrottle]

    def get(self, request):
        return Response({"ok": True})


class NoScopeView(APIView):
    """Declares no `required_scopes`: the default permission closes it to keys."""

    def get(self, request):
        return Response({"ok": True})


class KeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix"]


class KeyListView(ListAPIView):
    serializer_class = KeySerializer
    queryset = ApiKey.objects.order_by("pk")
