import pytest
from django.conf import settings
from django_otp_webauthn.models import WebAuthnCredential

from ordre.accounts import session_state
from ordre.audit.models import AuditEvent
from tests.accounts.conftest import verify_session
from tests.accounts.soft_authenticator import SoftAuthenticator

pytestmark = pytest.mark.django_db

BASE = "/comptes/cles-de-securite/"


def post_json(client, url, data=None):
    import json

    return client.post(url, json.dumps(data or {}), content_type="application/json")


def register(client) -> SoftAuthenticator:
    authenticator = SoftAuthenticator(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0])
    options = post_json(client, f"{BASE}enregistrement/debut/")
    assert options.status_code == 200, options.content
    done = post_json(client, f"{BASE}enregistrement/fin/", authenticator.create(options.json()))
    assert done.status_code == 200, done.content
    return authenticator


def test_register_a_key_then_use_it_as_second_factor(client, user):
    client.force_login(user)
    verify_session(client, user)
    authenticator = register(client)
    assert WebAuthnCredential.objects.filter(user=user, confirmed=True).count() == 1
    assert AuditEvent.objects.filter(action="accounts.webauthn.registered").exists()
    client.post("/comptes/deconnexion/")

    client.force_login(user)
    # The key is a factor: verification (not enrolment), with the key button.
    page = client.get("/comptes/compte/", follow=True)
    assert page.redirect_chain[-1][0].startswith("/comptes/double-authentification/verification/")
    assert 'id="passkey-verification-button"' in page.content.decode()
    key_before = client.cookies[settings.SESSION_COOKIE_NAME].value
    options = post_json(client, f"{BASE}verification/debut/")
    assert options.status_code == 200, options.content
    done = post_json(client, f"{BASE}verification/fin/", authenticator.get(options.json()))
    assert done.status_code == 200, done.content
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != key_before
    assert client.get("/comptes/compte/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.otp.verified", reason="webauthn").exists()


def test_a_forged_signature_is_refused(client, user):
    client.force_login(user)
    verify_session(client, user)
    authenticator = register(client)
    client.post("/comptes/deconnexion/")
    client.force_login(user)
    options = post_json(client, f"{BASE}verification/debut/").json()
    assertion = authenticator.get(options)
    assertion["response"]["signature"] = authenticator.get(options)["response"]["signature"]
    # A signature made over other data (another sign count) does not verify.
    done = post_json(client, f"{BASE}verification/fin/", assertion)
    assert done.status_code >= 400
    assert client.get("/comptes/compte/").status_code == 302


def test_registering_needs_a_verified_and_recent_session(client, user, totp_device):
    client.force_login(user)
    # Unverified: the middleware keeps the registration endpoint closed.
    assert post_json(client, f"{BASE}enregistrement/debut/").status_code == 302
    verify_session(client, user)
    session = client.session
    session[session_state.REAUTH_AT_KEY] = session_state.now() - 6 * 60
    session.save()
    refused = post_json(client, f"{BASE}enregistrement/debut/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "reauthentication_required"


def test_someone_elses_key_does_not_verify_my_session(client, user, make_user):
    owner = make_user("proprietaire")
    client.force_login(owner)
    verify_session(client, owner)
    authenticator = register(client)
    client.post("/comptes/deconnexion/")
    client.force_login(user)
    options = post_json(client, f"{BASE}verification/debut/").json()
    options["rpId"] = options.get("rpId") or settings.OTP_WEBAUTHN_RP_ID
    done = post_json(client, f"{BASE}verification/fin/", authenticator.get(options))
    assert done.status_code >= 400
    assert not session_state.is_session_verified(done.wsgi_request)


def test_the_key_scripts_speak_french(client):
    catalog = client.get(f"{BASE}jsi18n/")
    assert catalog.status_code == 200
    assert "Utiliser ma cl" in catalog.content.decode()
