from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tableau.directory.selectors import MAX_PAGE, MAX_PAGE_SIZE
from tableau.nomenclature import is_practice_mode, is_specialty


class DirectoryQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("Nom et prénom, début de chaque mot."),
    )
    rpps = serializers.RegexField(r"^\d{11}$", required=False, allow_blank=True)
    specialty = serializers.CharField(required=False, allow_blank=True, max_length=10)
    department = serializers.RegexField(r"^(\d{2}|2[AaBb]|97\d)$", required=False, allow_blank=True)
    city = serializers.CharField(required=False, allow_blank=True, max_length=100)
    mode = serializers.CharField(required=False, allow_blank=True, max_length=2)
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, default=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=20
    )

    def validate_specialty(self, value):
        if value and not is_specialty(value):
            raise serializers.ValidationError(_("Spécialité inconnue."))
        return value

    def validate_mode(self, value):
        if value and not is_practice_mode(value):
            raise serializers.ValidationError(_("Mode d'exercice inconnu."))
        return value

    def validate(self, attrs):
        if not any(attrs.get(k) for k in ("q", "rpps", "specialty", "department", "city", "mode")):
            raise serializers.ValidationError(_("Indiquez au moins un critère de recherche."))
        return attrs


class PlaceSerializer(serializers.Serializer):
    mode = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    address = serializers.CharField()
    postal_code = serializers.CharField()
    city = serializers.CharField()


class DirectoryEntrySerializer(serializers.Serializer):
    rpps = serializers.CharField()
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    council = serializers.CharField()
    specialties = serializers.ListField(child=serializers.CharField())
    places = PlaceSerializer(many=True)


class DirectoryPageSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    has_next = serializers.BooleanField()
    results = DirectoryEntrySerializer(many=True, source="entries")
