import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from ordre.accounts import roles, services, session_state
from ordre.accounts.models import BackupCode
from ordre.audit.models import AuditEvent
from tests.accounts.conftest import current_totp, verify_session

pytestmark = pytest.mark.django_db

ENROL = "/comptes/double-authentification/activation/"
VERIFY = "/comptes/double-authentification/verification/"
PAGES = ["/", "/comptes/compte/", "/comptes/sessions/", "/comptes/compte/modifier/", "/admin/"]


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_unverified_session_without_factor_reaches_only_enrolment(client, user):
    client.force_login(user)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(ENROL), url
    assert client.get(VERIFY)["Location"].startswith(ENROL)
    assert client.get(ENROL).status_code == 200
    assert client.get("/health/").status_code == 200
    assert client.get("/static/dsfr/dist/dsfr.min.css").status_code == 200


def test_unverified_session_with_factor_is_sent_to_verification(client, user, totp_device):
    client.force_login(user)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{VERIFY}?next={url.replace('/', '%2F')}", url
    # Enrolment is closed to someone who has only the password.
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    assert client.get(VERIFY).status_code == 200


def test_api_paths_refuse_unverified_session(client, user):
    client.force_login(user)
    response = client.get("/api/v1/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_post_to_a_page_is_refused_too(client, user, totp_device):
    client.force_login(user)
    response = client.post("/comptes/sessions/terminer-les-autres/")
    assert response.status_code == 302
    assert response["Location"] == VERIFY


def test_enrolment_with_a_valid_totp_code(client, user):
    client.force_login(user)
    page = client.get(ENROL)
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(ENROL, {"code": "000000" if current_totp(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "Code incorrect" in wrong.content.decode()
    assert not session_state.is_session_verified(wrong.wsgi_request)

    # django-otp throttles: after one failure the next try waits 1 s.
    time.sleep(1.05)
    key_before = client.cookies[settings.SESSION_COOKIE_NAME].value
    done = client.post(ENROL, {"code": current_totp(device), "next": "/comptes/compte/"})
    assert done.status_code == 200
    codes = re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    # A new session id once the second factor is passed.
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != key_before
    # Codes are stored hashed only.
    stored = list(BackupCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert len(stored) == 10
    for code in codes:
        assert all(code.replace("-", "") not in h.upper() for h in stored)
    assert client.get("/comptes/compte/").status_code == 200
    assert actions() == [
        "accounts.login.succeeded",
        "accounts.otp.failed",
        "accounts.totp.enrolled",
        "accounts.backup_codes.regenerated",
    ]


def test_verification_with_totp(client, user, totp_device):
    client.force_login(user)
    response = client.post(
        VERIFY, {"code": current_totp(totp_device), "next": "/comptes/sessions/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/comptes/sessions/"
    assert client.get("/comptes/sessions/").status_code == 200
    assert "accounts.otp.verified" in actions()


def test_wrong_code_is_refused_and_audited(client, user, totp_device):
    client.force_login(user)
    wrong = "123456" if current_totp(totp_device) != "123456" else "654321"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "Code incorrect" in response.content.decode()
    assert client.get("/comptes/compte/").status_code == 302
    assert actions()[-1] == "accounts.otp.failed"


def test_backup_code_works_once(client, user, totp_device, django_user_model):
    codes = services_regenerate(user)
    client.force_login(user)
    first = client.post(VERIFY, {"code": codes[3].lower().replace("-", " ")})
    assert first.status_code == 302
    assert client.get("/comptes/compte/").status_code == 200

    client.post("/comptes/deconnexion/")
    client.force_login(user)
    again = client.post(VERIFY, {"code": codes[3]})
    assert again.status_code == 200
    assert client.get("/comptes/compte/").status_code == 302
    other = client.post(VERIFY, {"code": codes[4]})
    assert other.status_code == 302
    assert BackupCode.objects.filter(user=user, used_at__isnull=False).count() == 2
    recorded = actions()
    assert recorded.count("accounts.backup_code.used") == 2
    assert "accounts.otp.failed" in recorded


def services_regenerate(user):
    from django.db import transaction

    with transaction.atomic():
        return services.backup_codes_regenerate(actor=user, user=user)


def test_admin_refuses_unverified_it_admin(client, it_admin):
    client.force_login(it_admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)


def test_admin_refuses_verified_non_admin(client, make_user):
    doctor = make_user("docteur", role=roles.DOCTOR, is_staff=True)
    client.force_login(doctor)
    verify_session(client, doctor)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert AuditEvent.objects.filter(
        action="authz.access.refused", actor_user_id=doctor.pk
    ).exists()


def test_admin_refuses_superuser_without_it_admin_role(client, make_user):
    root = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(root)
    verify_session(client, root)
    assert client.get("/admin/", follow=True).status_code == 403


def test_admin_accepts_verified_it_admin(client, it_admin):
    client.force_login(it_admin)
    verify_session(client, it_admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_admin_login_sends_anonymous_to_portal_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/comptes/connexion/")


def test_strong_login_marks_session_verified(client, user):
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    services.mark_session_strongly_authenticated(request, method="psc")
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    assert client.get("/comptes/compte/").status_code == 200
    assert actions()[-1] == "accounts.session.strongly_authenticated"
    assert Session.objects.filter(session_key=request.session.session_key).exists()


def test_repeated_wrong_codes_block_even_a_right_one(client, user):
    codes = services_regenerate(user)
    client.force_login(user)
    for attempt in range(services.OTP_MAX_FAILURES):
        client.post(VERIFY, {"code": f"AAAAA-{attempt:05d}".replace("0", "A")})
    blocked = client.post(VERIFY, {"code": codes[0]})
    assert blocked.status_code == 200
    assert client.get("/comptes/compte/").status_code == 302
    assert AuditEvent.objects.filter(action="accounts.otp.failed", reason="blocked").exists()
    assert not BackupCode.objects.filter(used_at__isnull=False).exists()


def test_api_key_calls_carry_no_session_and_pass(client):
    from django.db import transaction

    from ordre.api.services import issue_api_key
    from ordre.audit.actors import SystemActor

    with transaction.atomic():
        issued = issue_api_key(actor=SystemActor("test"), name="sync", scopes=["api.ping"])
    response = client.get("/api/v1/ping/", HTTP_AUTHORIZATION=f"Api-Key {issued.secret}")
    assert response.status_code == 200, response.content


def test_verified_session_reaches_the_api(verified_client):
    assert verified_client.get("/api/v1/me/").status_code == 200


def test_replacing_the_totp_app_needs_recent_reauthentication(verified_client, totp_device):
    session = verified_client.session
    session[session_state.REAUTH_AT_KEY] = session_state.now() - 6 * 60
    session.save()
    response = verified_client.get(ENROL)
    assert response["Location"].startswith("/comptes/reauthentification/")
    session = verified_client.session
    session[session_state.REAUTH_AT_KEY] = session_state.now()
    session.save()
    assert verified_client.get(ENROL).status_code == 200
    pending = TOTPDevice.objects.get(user=totp_device.user, confirmed=False)
    assert verified_client.post(ENROL, {"code": current_totp(pending)}).status_code == 200
    # The new device replaced the old one.
    assert list(TOTPDevice.objects.filter(user=totp_device.user)) == [pending]
