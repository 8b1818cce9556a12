"""The whole login flow over real HTTP: portal under `live_server`, the local provider
on its own loopback port, browsers (httpx) following redirects between them.

Each test here costs a live-server database flush (about 3 s), so one test walks one
journey and checks every step of it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.urls import reverse

from ordre.accounts import roles
from ordre.accounts.models import User
from ordre.audit.models import AuditEvent
from ordre.oidc.models import ExternalIdentity
from ordre.oidc.provider.identities import DOCTOR_RPPS, HOSPITAL_DOCTOR_RPPS
from tests.oidc.conftest import flow

REFUSED = "La connexion n'a pas pu être vérifiée"


def refusals(reason: str) -> int:
    return AuditEvent.objects.filter(action="oidc.login.refused", reason=reason).count()


def query_param(url: str, name: str) -> str:
    return parse_qs(urlsplit(url).query)[name][0]


def assert_logged_out(person) -> None:
    page = person.get(reverse("accounts:account"))
    assert page.url.path == reverse("accounts:login")


@pytest.fixture
def doctor(role_groups):
    user = User.objects.create_user("dr-dupont", rpps=DOCTOR_RPPS, first_name="Marie")
    user.groups.add(Group.objects.get(name=roles.DOCTOR))
    return user


@flow
def test_franceconnect_first_login_creates_an_applicant_sent_to_2fa(person, idp):
    # Same e-mail as the FranceConnect identity: never a reason to link.
    User.objects.create_user("homonyme", email="camille.bernard@example.org")

    outcome = person.login("fc", "demandeur")

    # eidas1 is not a second factor: the 2FA middleware takes over (enrolment).
    assert outcome.path == reverse("accounts:otp_enrol")
    identity = ExternalIdentity.objects.select_related("user").get(provider="fc")
    user = identity.user
    assert user.username != "homonyme"
    assert list(user.groups.values_list("name", flat=True)) == [roles.APPLICANT]
    assert (user.first_name, user.last_name) == ("Camille", "BERNARD")
    assert not user.has_usable_password()
    assert identity.last_login_at is not None
    actions = set(
        AuditEvent.objects.filter(action__startswith="oidc.").values_list("action", flat=True)
    )
    assert actions == {"oidc.account.created", "oidc.identity.linked", "oidc.login.succeeded"}

    # A second login finds the same account through its (issuer, sub) link, also after
    # the provider rotated its signing key (the new kid makes us fetch the JWKS again).
    idp.rotate_key("fc")
    again = person.open().login("fc", "demandeur")
    assert again.path == reverse("accounts:otp_enrol")
    assert User.objects.filter(groups__name=roles.APPLICANT).count() == 1
    assert AuditEvent.objects.filter(action="oidc.login.succeeded").count() == 2


MISBEHAVIOURS = [
    ("wrong_nonce", "id_token_wrong_nonce"),
    ("wrong_audience", "id_token_wrong_audience"),
    ("wrong_issuer", "id_token_wrong_issuer"),
    ("expired", "id_token_expired"),
    ("bad_signature", "id_token_bad_signature"),
    ("unknown_kid", "unknown_kid"),
    ("wrong_algorithm", "id_token_algorithm_not_allowed"),
    ("userinfo_bad_signature", "userinfo_bad_signature"),
    ("userinfo_wrong_subject", "userinfo_wrong_subject"),
]


@flow
def test_each_misbehaviour_of_franceconnect_is_refused_and_audited(person, idp):
    for mode, reason in MISBEHAVIOURS:
        idp.set_mode(mode)
        someone = person.open()
        outcome = someone.login("fc", "demandeur")

        assert outcome.response.status_code == 403, mode
        assert REFUSED in outcome.text, mode
        assert refusals(reason) == 1, mode
        assert_logged_out(someone)
    assert not User.objects.exists()
    assert not ExternalIdentity.objects.exists()


@flow
def test_pro_sante_connect_refusals(person, idp, doctor):
    for mode, reason in [
        ("wrong_nonce", "id_token_wrong_nonce"),
        ("bad_signature", "id_token_bad_signature"),
        ("wrong_issuer", "id_token_wrong_issuer"),
    ]:
        idp.set_mode(mode)
        outcome = person.open().login("psc", "medecin", acr="eidas2")
        assert outcome.response.status_code == 403, mode
        assert REFUSED in outcome.text, mode
        assert refusals(reason) == 1, mode
    assert not ExternalIdentity.objects.exists()

    # A genuine identity whose RPPS has no account here.
    idp.set_mode(None)
    outcome = person.open().login("psc", "hospitalier", acr="eidas2")
    assert outcome.response.status_code == 403
    assert "Aucun compte de l'Ordre ne correspond à votre numéro RPPS" in outcome.text
    assert refusals("rpps_unknown") == 1
    assert not User.objects.filter(rpps=HOSPITAL_DOCTOR_RPPS).exists()


@flow
def test_replays_and_provider_errors_are_refused(person, idp):
    first = person.login("fc", "demandeur")
    assert first.path == reverse("accounts:otp_enrol")

    # The same authorization response again (another person, then a third one).
    assert person.open().get(first.callback_url).status_code == 403
    assert person.open().get(first.callback_url).status_code == 403
    assert refusals("state_replayed") == 2

    # A fresh state with the used code: the provider rejects the code...
    code = query_param(first.callback_url, "code")
    other = person.open()
    state = query_param(str(other.start("fc").url), "state")
    assert other.get(f"/comptes/oidc/fc/retour/?code={code}&state={state}").status_code == 403
    assert refusals("token_error:invalid_grant") == 1
    # ...and a provider that accepted it again would send the old nonce.
    idp.set_mode("replay_code")
    third = person.open()
    state = query_param(str(third.start("fc").url), "state")
    assert third.get(f"/comptes/oidc/fc/retour/?code={code}&state={state}").status_code == 403
    assert refusals("id_token_wrong_nonce") == 1
    idp.set_mode(None)

    # An authorization response delivered to a person that did not ask for it.
    attacker = person.open()
    authorize = attacker.start("fc")
    victim = person.open()
    response = victim.client.post(
        str(authorize.url), data={"identity": "demandeur", "acr": "eidas1"}
    )
    assert response.status_code == 403
    assert refusals("state_other_browser") == 1

    # The person cancels at the provider: a French message.
    someone = person.open()
    response = someone.client.post(str(someone.start("fc").url), data={"decision": "deny"})
    assert response.status_code == 403
    assert "Vous avez annulé la connexion" in response.text
    assert refusals("provider_error:access_denied") == 1

    # An error that reveals our misconfiguration.
    state = query_param(str(someone.start("fc").url), "state")
    response = someone.get(f"/comptes/oidc/fc/retour/?error=invalid_client&state={state}")
    assert response.status_code == 403
    assert "erreur de configuration" in response.text
    assert refusals("provider_error:invalid_client") == 1
    assert User.objects.count() == 1


@flow
def test_pro_sante_connect_card_login_links_by_rpps_and_skips_2fa(person, doctor):
    outcome = person.login("psc", "medecin", acr="eidas2")

    assert outcome.path == reverse("portal:home")
    assert outcome.response.status_code == 200
    assert ExternalIdentity.objects.get(provider="psc").user == doctor
    assert AuditEvent.objects.filter(
        action="oidc.identity.linked", actor_user_id=doctor.pk
    ).exists()
    assert AuditEvent.objects.filter(
        action="accounts.session.strongly_authenticated", reason="psc-eidas2"
    ).exists()
    assert person.get(reverse("accounts:account")).url.path == reverse("accounts:account")
    # The practice sites of SubjectRefPro are kept in the session for later scopes.
    logins = [row.get_decoded().get("ordre.oidc.login") for row in Session.objects.all()]
    activities = [login["activities"] for login in logins if login]
    assert activities == [[{**activities[0][0], "mode": "L", "savoir_faire": "SM54"}]]

    # From the account, link a FranceConnect identity, then unlink it.
    page = person.get(reverse("oidc:identities"))
    assert "Lier mon identité FranceConnect" in page.text
    linked = person.choose(person.start("fc", "?lier=1"), "patient")
    assert linked.path == reverse("oidc:identities")
    assert "Votre identité FranceConnect est liée à votre compte." in linked.text
    fc = ExternalIdentity.objects.get(provider="fc")
    assert fc.user == doctor
    assert AuditEvent.objects.filter(action="oidc.identity.linked").count() == 2

    token = person.csrf_token(reverse("oidc:identities"))
    response = person.post(
        reverse("oidc:unlink", args=[fc.pk]), data={"csrfmiddlewaretoken": token}
    )
    assert response.url.path == reverse("oidc:identities")
    assert not ExternalIdentity.objects.filter(provider="fc").exists()
    assert AuditEvent.objects.filter(action="oidc.identity.unlinked").count() == 1

    # The same PSC identity, an eidas1 (e-CPS) login this time: our 2FA applies.
    eidas1 = person.open().login("psc", "medecin", acr="eidas1")
    assert eidas1.path.startswith("/comptes/double-authentification/")


@flow
def test_logout_goes_through_the_provider_and_checks_the_returned_state(person, idp, doctor):
    person.login("psc", "medecin", acr="eidas2")
    token = person.csrf_token(reverse("oidc:identities"))

    response = person.post(reverse("oidc:logout"), data={"csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert any("/openid-connect/logout" in step.url.path for step in response.history)
    assert response.url.path == reverse("oidc:logout_return", args=["psc"])
    assert "Vous êtes déconnecté de l’Ordre et de Pro Santé Connect" in response.text
    assert AuditEvent.objects.filter(action="oidc.logout.confirmed").count() == 1
    assert_logged_out(person)

    # A provider that sends back another state: reported, and still logged out here.
    other = person.open()
    other.login("psc", "medecin", acr="eidas2")
    token = other.csrf_token(reverse("oidc:identities"))
    idp.set_mode("logout_wrong_state")
    response = other.post(reverse("oidc:logout"), data={"csrfmiddlewaretoken": token})
    assert response.status_code == 400
    assert "n'a pas pu être confirmée" in response.text.replace("&#x27;", "'")
    assert AuditEvent.objects.filter(action="oidc.logout.refused").count() == 1
    assert_logged_out(other)
