from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Après plusieurs erreurs, le compte "
            "est temporairement bloqué."
        ),
        "inactive": _("Ce compte est désactivé."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Identifiant")
        self.fields["password"].label = _("Mot de passe")
        self.fields["username"].widget.attrs.update(
            {"class": "fr-input", "autocomplete": "username", "autocapitalize": "none"}
        )
        self.fields["password"].widget.attrs.update(
            {"class": "fr-password__input fr-input", "autocomplete": "current-password"}
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("Le code à 6 chiffres de votre application, ou un code de secours."),
        widget=forms.TextInput(
            attrs={
                "class": "fr-input",
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code à 6 chiffres affiché par l’application"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"class": "fr-input", "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Mot de passe"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "fr-input", "autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("ou code de votre application d’authentification"),
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={"class": "fr-input", "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("password") and not data.get("code"):
            raise forms.ValidationError(_("Saisissez votre mot de passe ou un code."))
        return data


class ProfileForm(forms.Form):
    """A plain form: the write goes through `services.profile_update`."""

    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"class": "fr-input", "autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"class": "fr-input", "autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        required=False,
        widget=forms.EmailInput(attrs={"class": "fr-input", "autocomplete": "email"}),
    )


class OrdrePasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Mot de passe actuel")
        self.fields["new_password1"].label = _("Nouveau mot de passe")
        self.fields["new_password2"].label = _("Confirmation du nouveau mot de passe")
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "fr-input"
            field.widget.attrs["autocomplete"] = (
                "current-password" if name == "old_password" else "new-password"
            )
