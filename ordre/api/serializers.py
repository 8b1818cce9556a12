from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class MeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[("user", _("personne")), ("api_key", _("clé d'API"))],
        help_text=_("Une personne connectée (session) ou un système (clé d'API)."),
    )
    username = serializers.CharField()
    full_name = serializers.CharField(allow_blank=True)
    roles = serializers.ListField(child=serializers.CharField())
    scopes = serializers.ListField(child=serializers.CharField())
    council_code = serializers.CharField(allow_blank=True)


class PingSerializer(serializers.Serializer):
    status = serializers.CharField()
    version = serializers.CharField()
    client = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details (`application/problem+json`)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    request_id = serializers.CharField(required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Erreurs de validation : champ → messages."),
    )
