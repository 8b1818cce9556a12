from django import forms
from django.utils.translation import gettext_lazy as _

from tableau.nomenclature import practice_mode_choices, specialty_choices


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Nom et prénom"), required=False, max_length=100)
    rpps = forms.RegexField(
        label=_("Numéro RPPS"), required=False, regex=r"^\d{11}$",
        error_messages={"invalid": _("Le numéro RPPS compte 11 chiffres.")},
    )  # fmt: skip
    specialty = forms.ChoiceField(label=_("Spécialité"), required=False)
    department = forms.RegexField(
        label=_("Département"), required=False, regex=r"^(\d{2}|2[AaBb]|97\d)$",
        error_messages={"invalid": _("Indiquez un numéro de département (ex. : 75, 2A, 974).")},
    )  # fmt: skip
    city = forms.CharField(label=_("Commune"), required=False, max_length=100)
    mode = forms.ChoiceField(label=_("Mode d'exercice"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"].choices = [("", _("Toutes")), *specialty_choices()]
        self.fields["mode"].choices = [("", _("Tous")), *practice_mode_choices()]
