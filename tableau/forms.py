"""Forms of the register's procedures (their cleaned data is the dossier's form data)."""

from django import forms
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
