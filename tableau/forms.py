"""Forms of the register's procedures (their cleaned data is the dossier's form data)."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from tableau.enums import Sex
from tableau.nomenclature import practice_mode_choices, specialty_choices

#: Diploma countries whose diplomas are recognised automatically (EU/EEA + Switzerland).
EU_EEA_CH = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


class RegistrationForm(forms.Form):
    """Inscription au tableau: identity, diplomas, intended practice."""

    birth_name = forms.CharField(label=_("Nom de naissance"), max_length=200)
    used_name = forms.CharField(label=_("Nom d’usage"), max_length=200, required=False)
    first_names = forms.CharField(label=_("Prénoms"), max_length=300)
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Date de naissance"))
    birth_place = forms.CharField(label=_("Lieu de naissance"), max_length=200)
    birth_country = forms.CharField(
        label=_("Pays de naissance (code ISO)"), max_length=2, initial="FR"
    )
    nationality = forms.CharField(label=_("Nationalité (code ISO)"), max_length=2, initial="FR")
    email = forms.EmailField(label=_("Adresse électronique"))
    phone = forms.CharField(label=_("Téléphone"), max_length=20, required=False)
    diploma = forms.CharField(label=_("Diplôme de docteur en médecine"), max_length=300)
    diploma_university = forms.CharField(label=_("Université"), max_length=300)
    diploma_year = forms.IntegerField(label=_("Année d’obtention"), min_value=1950, max_value=2100)
    diploma_country = forms.CharField(
        label=_("Pays du diplôme (code ISO)"), max_length=2, initial="FR"
    )
    specialty = forms.ChoiceField(label=_("Spécialité (DES)"), choices=(), required=False)
    practice_mode = forms.ChoiceField(label=_("Mode d’exercice envisagé"), choices=())
    practice_name = forms.CharField(label=_("Structure"), max_length=200, required=False)
    practice_address = forms.CharField(label=_("Adresse d’exercice"), max_length=300)
    practice_postal_code = forms.RegexField(label=_("Code postal"), regex=r"^[0-9]{5}$")
    practice_city = forms.CharField(label=_("Commune"), max_length=100)
    practice_siret = forms.CharField(label=_("SIRET"), max_length=17, required=False)
    practice_finess = forms.CharField(label=_("FINESS"), max_length=9, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"].choices = [("", "—"), *specialty_choices()]
        self.fields["practice_mode"].choices = practice_mode_choices()

    def clean_birth_country(self):
        return self.cleaned_data["birth_country"].upper()

    def clean_nationality(self):
        return self.cleaned_data["nationality"].upper()

    def clean_diploma_country(self):
        return self.cleaned_data["diploma_country"].upper()

    def clean_practice_siret(self):
        from tableau.validators import clean_siret

        return clean_siret(self.cleaned_data["practice_siret"])

    def clean_practice_finess(self):
        from tableau.validators import clean_finess

        return clean_finess(self.cleaned_data["practice_finess"])

    def form_data(self) -> dict:
        """JSON-ready cleaned data, as stored in the dossier."""
        data = dict(self.cleaned_data)
        data["birth_date"] = data["birth_date"].isoformat()
        return data


class _PracticePlaceFields(forms.Form):
    practice_mode = forms.ChoiceField(label=_("Mode d’exercice"), choices=())
    practice_name = forms.CharField(label=_("Structure"), max_length=200, required=False)
    practice_address = forms.CharField(label=_("Adresse d’exercice"), max_length=300)
    practice_postal_code = forms.RegexField(label=_("Code postal"), regex=r"^[0-9]{5}$")
    practice_city = forms.CharField(label=_("Commune"), max_length=100)
    practice_siret = forms.CharField(label=_("SIRET"), max_length=17, required=False)
    practice_finess = forms.CharField(label=_("FINESS"), max_length=9, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice_mode"].choices = practice_mode_choices()

    def clean_practice_siret(self):
        from tableau.validators import clean_siret

        return clean_siret(self.cleaned_data["practice_siret"])

    def clean_practice_finess(self):
        from tableau.validators import clean_finess

        return clean_finess(self.cleaned_data["practice_finess"])

    def form_data(self) -> dict:
        data = dict(self.cleaned_data)
        for key, value in data.items():
            if hasattr(value, "isoformat"):
                data[key] = value.isoformat()
        return data


class TransferForm(_PracticePlaceFields):
    """Transfert: the doctor moves to the council of the dossier (the receiving council)."""

    effective_on = forms.DateField(label=_("Date du transfert"))


class QualificationForm(forms.Form):
    specialty = forms.ChoiceField(label=_("Spécialité demandée"), choices=())
    titles = forms.CharField(label=_("Diplômes et titres"), widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"].choices = specialty_choices()

    def form_data(self) -> dict:
        return dict(self.cleaned_data)


class SituationChange(models.TextChoices):
    PRACTICE_PLACE = "practice_place", _("Nouvelle adresse ou nouveau mode d’exercice")
    RETIREMENT = "retirement", _("Départ en retraite")
    END_OF_ACTIVITY = "end_of_activity", _("Cessation d’activité")


class SituationChangeForm(_PracticePlaceFields):
    change = forms.ChoiceField(label=_("Changement"), choices=SituationChange.choices)
    effective_on = forms.DateField(label=_("À compter du"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The place is asked only for a new place of practice.
        for name in ("practice_mode", "practice_address", "practice_postal_code", "practice_city"):
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if data.get("change") == SituationChange.PRACTICE_PLACE:
            for name in (
                "practice_mode",
                "practice_address",
                "practice_postal_code",
                "practice_city",
            ):
                if not data.get(name):
                    self.add_error(name, _("Champ obligatoire pour un nouveau lieu d’exercice."))
        return data


class DpcDeclarationForm(forms.Form):
    """Déclaration de développement professionnel continu / certification périodique."""

    period_start = forms.DateField(label=_("Début de la période"))
    period_end = forms.DateField(label=_("Fin de la période"))
    actions = forms.IntegerField(label=_("Nombre d’actions réalisées"), min_value=0)
    description = forms.CharField(label=_("Actions suivies"), widget=forms.Textarea)

    def form_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["period_start"] = data["period_start"].isoformat()
        data["period_end"] = data["period_end"].isoformat()
        return data
