from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ChangesQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0, default=0, help_text=_("Dernière position reçue.")
    )
    limit = serializers.IntegerField(min_value=1, max_value=1000, default=500)


class ChangeSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.CharField()
    doctor_rpps = serializers.CharField(allow_null=True)
    councils = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    data = serializers.DictField()


class ChangesPageSerializer(serializers.Serializer):
    council = serializers.CharField()
    after = serializers.IntegerField()
    next_after = serializers.IntegerField()
    has_more = serializers.BooleanField()
    acknowledged_position = serializers.IntegerField()
    changes = ChangeSerializer(many=True)


class AcknowledgeSerializer(serializers.Serializer):
    position = serializers.IntegerField(min_value=0)


class FeedStateSerializer(serializers.Serializer):
    council = serializers.CharField(source="council_id")
    acknowledged_position = serializers.IntegerField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
