from django import forms
from django.utils.translation import gettext_lazy as _

from ordre.api.scopes import known_scopes


class ApiKeyIssueForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=100)
    owner = forms.CharField(
        label=_("Détenteur"),
        max_length=200,
        required=False,
        help_text=_("Système ou organisme qui utilisera la clé."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Portées"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    council_code = forms.CharField(label=_("Code du conseil"), max_length=3, required=False)
    expires_at = forms.DateTimeField(
        label=_("Expire le"),
        required=False,
        help_text=_("AAAA-MM-JJ HH:MM ; vide : pas d'expiration."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [
            (code, f"{code} : {label}") for code, label in known_scopes().items()
        ]
