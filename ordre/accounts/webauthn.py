"""Security keys and passkeys (WebAuthn) as a second factor, on django-otp-webauthn.

Its JSON views are wrapped so that they follow Ordre's rules: registering a key needs a
session that passed the second factor and a recent re-authentication; using a key
verifies the session like a TOTP code (new session id, audit event). Passwordless login
is disabled (`OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False`): a key is a second factor.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as base

from ordre.accounts import services, session_state
from ordre.audit.services import record_event


class ReauthenticationRequired(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "reauthentication_required"
    default_detail = _(
        "Confirmez d’abord votre identité (mot de passe ou code) depuis votre compte."
    )


class _RegistrationRules:
    def user_is_mfa_enrolled(self, user) -> bool:
        # Ordre's own verification (TOTP, backup code, strong login) counts, not only
        # django-otp's device flag.
        return not session_state.is_session_verified(self.request)

    def check_can_register(self):
        if not session_state.is_session_verified(self.request):
            raise exceptions.NotVerified()
        if not session_state.has_recent_authentication(self.request):
            raise ReauthenticationRequired()


class BeginRegistration(_RegistrationRules, base.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(_RegistrationRules, base.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        with transaction.atomic():
            response = super().post(*args, **kwargs)
            if response.status_code == 200:
                record_event(
                    actor=self.request.user,
                    action="accounts.webauthn.registered",
                    target=self.request.user,
                )
        return response


class BeginAuthentication(base.BeginCredentialAuthenticationView):
    pass


class CompleteAuthentication(base.CompleteCredentialAuthenticationView):
    def check_device_usable(self, device) -> None:
        super().check_device_usable(device)
        if device.user_id != self.request.user.pk:
            raise exceptions.CredentialNotFound()

    def complete_auth(self, device):
        with transaction.atomic():
            services.webauthn_verified(actor=self.request.user, request=self.request, device=device)
