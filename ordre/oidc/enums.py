"""Audit action codes and refusal reasons of the relying party."""

from django.utils.translation import gettext_lazy as _

# Server-side session keys.
BINDING_SESSION_KEY = "ordre.oidc.binding"  # ties a pending state to this browser
LOGIN_SESSION_KEY = "ordre.oidc.login"  # provider, id_token (logout hint), acr, activities

LOGIN_SUCCEEDED = "oidc.login.succeeded"
LOGIN_REFUSED = "oidc.login.refused"
IDENTITY_LINKED = "oidc.identity.linked"
IDENTITY_UNLINKED = "oidc.identity.unlinked"
ACCOUNT_CREATED = "oidc.account.created"
LOGOUT_REQUESTED = "oidc.logout.requested"
LOGOUT_CONFIRMED = "oidc.logout.confirmed"
LOGOUT_REFUSED = "oidc.logout.refused"

GENERIC_FAILURE = _(
    "La connexion n'a pas pu être vérifiée. Pour votre sécurité, elle a été refusée. "
    "Réessayez ; si le problème persiste, utilisez un autre moyen de connexion."
)
CONFIGURATION_FAILURE = _(
    "La connexion est momentanément impossible à cause d'une erreur de configuration. "
    "Réessayez plus tard ou utilisez un autre moyen de connexion."
)

# Errors a provider returns on the redirect (RFC 6749 s.4.1.2.1, OIDC Core s.3.1.2.6):
# those the user caused or may retry get their own French message; the others reveal a
# configuration error on our side and are logged as such.
PROVIDER_ERROR_MESSAGES = {
    "access_denied": _("Vous avez annulé la connexion auprès du fournisseur d'identité."),
    "login_required": _("Le fournisseur d'identité demande de vous reconnecter."),
    "consent_required": _(
        "Votre consentement est nécessaire pour transmettre vos informations à l'Ordre."
    ),
    "interaction_required": _("Le fournisseur d'identité demande une action de votre part."),
    "account_selection_required": _("Choisissez un compte auprès du fournisseur d'identité."),
    "server_error": _(
        "Le fournisseur d'identité a rencontré une erreur. Réessayez dans quelques minutes."
    ),
    "temporarily_unavailable": _(
        "Le fournisseur d'identité est momentanément indisponible. Réessayez plus tard."
    ),
}
