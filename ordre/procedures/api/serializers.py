from rest_framework import serializers

from ordre.procedures.models import Dossier, DossierEvent, Message, Piece, PrivateNote


class PieceSerializer(serializers.ModelSerializer):
    document = serializers.UUIDField(source="document_id")

    class Meta:
        model = Piece
        fields = ["code", "document", "added_at"]


class DossierSerializer(serializers.ModelSerializer):
    reference = serializers.CharField()
    kind_label = serializers.CharField()
    council = serializers.CharField(source="council_id")
    origin_council = serializers.CharField(source="origin_council_id", allow_null=True)
    state_label = serializers.CharField(source="get_state_display")
    assigned_clerk = serializers.IntegerField(source="assigned_clerk_id", allow_null=True)
    rapporteur = serializers.IntegerField(source="rapporteur_id", allow_null=True)

    class Meta:
        model = Dossier
        fields = [
            "id",
            "reference",
            "kind",
            "kind_label",
            "council",
            "origin_council",
            "state",
            "state_label",
            "assigned_clerk",
            "rapporteur",
            "created_at",
            "submitted_at",
            "completed_at",
            "deadline",
            "decided_at",
            "decision",
            "appeal_deadline",
        ]


class DossierDetailSerializer(DossierSerializer):
    form_data = serializers.JSONField()
    refusal_reasons = serializers.CharField(allow_null=True)
    pieces = PieceSerializer(many=True, source="live_pieces")

    class Meta(DossierSerializer.Meta):
        fields = [*DossierSerializer.Meta.fields, "form_data", "refusal_reasons", "pieces"]


class HistoryEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierEvent
        fields = ["verb", "from_state", "to_state", "created_at"]


class FollowedDossierSerializer(DossierSerializer):
    """A transfer seen from the council the doctor leaves: state, form and history only
    (no pieces, messages, notes or refusal reasons), as on its page."""

    form_data = serializers.JSONField()
    history = HistoryEventSerializer(many=True, source="history_events")
    read_only = serializers.BooleanField(default=True, read_only=True)

    class Meta(DossierSerializer.Meta):
        fields = [*DossierSerializer.Meta.fields, "form_data", "history", "read_only"]


class ActionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    codes = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    # "assign": user ids among the members of the dossier's council (null unassigns; a
    # key left out is unchanged).
    clerk = serializers.IntegerField(required=False, allow_null=True)
    rapporteur = serializers.IntegerField(required=False, allow_null=True)


class DossierCreateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    council = serializers.CharField()
    form_data = serializers.JSONField(required=False, default=dict)


class MessageSerializer(serializers.ModelSerializer):
    body = serializers.CharField()  # the decrypted text (not the field's stored form)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "from_clerk", "body", "attachments", "created_at"]

    def get_attachments(self, message) -> list[str]:
        # Prefetched by the selector: no query per message.
        return [str(document.pk) for document in message.attachments.all()]


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")


class AssigneesSerializer(serializers.Serializer):
    clerks = PersonSerializer(many=True)
    rapporteurs = PersonSerializer(many=True)


class MessagePostSerializer(serializers.Serializer):
    body = serializers.CharField()
    attachment = serializers.FileField(required=False)


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username")
    body = serializers.CharField()

    class Meta:
        model = PrivateNote
        fields = ["id", "author", "body", "created_at"]


class NotePostSerializer(serializers.Serializer):
    body = serializers.CharField()


class PieceUploadSerializer(serializers.Serializer):
    code = serializers.CharField()
    file = serializers.FileField()
