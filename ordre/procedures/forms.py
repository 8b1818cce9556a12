"""Forms of the portal pages of the dossier engine."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ordre.procedures.enums import DossierState


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Numéro de dossier"), required=False)
    kind = forms.ChoiceField(label=_("Démarche"), required=False)
    state = forms.ChoiceField(label=_("État"), required=False)
    assignee = forms.ChoiceField(
        label=_("Instructeur"),
        required=False,
        choices=[("", _("Tous")), ("me", _("Moi")), ("none", _("Non attribués"))],
    )
    direction = forms.ChoiceField(
        label=_("Transferts"),
        required=False,
        choices=[("", _("Tous les dossiers")), ("outgoing", _("Transferts sortants"))],
    )
    overdue = forms.BooleanField(label=_("Délai dépassé"), required=False)

    def __init__(self, *args, kind_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Toutes")), *kind_choices]
        self.fields["state"].choices = [
            ("", _("Tous")),
            ("pending", _("À traiter")),
            *[(v, label) for v, label in DossierState.choices if v != DossierState.DRAFT],
        ]

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class RequestPiecesForm(forms.Form):
    codes = forms.MultipleChoiceField(
        label=_("Pièces demandées"), widget=forms.CheckboxSelectMultiple, required=False
    )
    comment = forms.CharField(
        label=_("Message au demandeur"), widget=forms.Textarea, required=False
    )

    def __init__(self, *args, pieces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [(p.code, p.label) for p in pieces]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class AssignForm(forms.Form):
    """Assignment of a dossier: the choices are the members of the dossier's council."""

    clerk = PersonChoiceField(
        label=_("Instructeur"),
        queryset=None,
        required=False,
        empty_label=_("— Non attribué —"),
        error_messages={
            "invalid_choice": _("Cet instructeur n’appartient pas au conseil du dossier.")
        },
    )
    rapporteur = PersonChoiceField(
        label=_("Rapporteur"),
        queryset=None,
        required=False,
        empty_label=_("— Aucun —"),
        error_messages={
            "invalid_choice": _("Ce rapporteur n’appartient pas au conseil du dossier.")
        },
    )

    def __init__(self, *args, council_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        from ordre.procedures.selectors import assignable_clerks, assignable_rapporteurs

        self.fields["clerk"].queryset = assignable_clerks(council_code)
        self.fields["rapporteur"].queryset = assignable_rapporteurs(council_code)

    def error_text(self) -> str:
        return " ".join(message for errors in self.errors.values() for message in errors)


class RefuseForm(forms.Form):
    reasons = forms.CharField(label=_("Motifs du refus"), widget=forms.Textarea)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Commentaire"), widget=forms.Textarea, required=False)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea)
    attachment = forms.FileField(label=_("Pièce jointe (PDF, JPEG, PNG)"), required=False)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note privée"), widget=forms.Textarea)


class PieceUploadForm(forms.Form):
    code = forms.ChoiceField(label=_("Pièce"))
    file = forms.FileField(label=_("Fichier (PDF, JPEG, PNG)"))

    def __init__(self, *args, pieces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(p.code, p.label) for p in pieces]


class NewDossierForm(forms.Form):
    council = forms.ModelChoiceField(label=_("Conseil départemental"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ordre.councils.selectors import departmental_councils

        self.fields["council"].queryset = departmental_councils()
