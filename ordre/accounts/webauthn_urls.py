"""The JSON endpoints of the WebAuthn ceremonies, under the `otp_webauthn` namespace its
JavaScript expects (included by the composition root)."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog

from ordre.accounts import webauthn

app_name = "otp_webauthn"
urlpatterns = [
    path(
        "enregistrement/debut/",
        webauthn.BeginRegistration.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "enregistrement/fin/",
        webauthn.CompleteRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "verification/debut/",
        webauthn.BeginAuthentication.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "verification/fin/",
        webauthn.CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn", "ordre.accounts"]),
        name="js-i18n-catalog",
    ),
]
