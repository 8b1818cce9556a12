"""Services of the oidc app, without HTTP."""

import datetime as dt

import pytest
from django.utils import timezone

from ordre.accounts.models import User
from ordre.audit.models import AuditEvent
from ordre.oidc import services
from ordre.oidc.conf import get_provider
from ordre.oidc.models import ExternalIdentity, LoginState
from ordre.oidc.protocol import ProtocolError

pytestmark = pytest.mark.django_db


def psc_claims(rpps="10000000007", sub="psc-sub"):
    return {"sub": sub, "acr": "eidas2", "SubjectNameID": "8" + rpps}


def test_a_state_is_single_use_bound_to_its_browser_and_short_lived():
    provider = get_provider("fc")
    state = services.login_state_create(
        actor=None, provider=provider, purpose="login", binding="browser-a"
    )
    assert len(state.nonce) == 64 and state.code_verifier

    def consume(value=state.state, key="fc", binding="browser-a"):
        return services.login_state_consume(
            provider_key=key, state=value, purposes=("login",), binding=binding
        )

    for kwargs, reason in [
        ({"key": "psc"}, "state_unknown"),
        ({"value": "forged"}, "state_unknown"),
        ({"binding": "browser-b"}, "state_other_browser"),
        ({"binding": None}, "state_other_browser"),
    ]:
        with pytest.raises(ProtocolError) as refused:
            consume(**kwargs)
        assert refused.value.reason == reason
    assert consume().pk == state.pk
    with pytest.raises(ProtocolError) as refused:
        consume()
    assert refused.value.reason == "state_replayed"

    late = services.login_state_create(
        actor=None, provider=provider, purpose="login", binding="browser-a"
    )
    LoginState.objects.filter(pk=late.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    with pytest.raises(ProtocolError) as refused:
        consume(value=late.state)
    assert refused.value.reason == "state_expired"


def test_linking_checks_rpps_and_ownership():
    psc = get_provider("psc")
    doctor = User.objects.create_user("doc", rpps="10000000007")
    other = User.objects.create_user("other", rpps="10000000023")

    with pytest.raises(services.LinkRefused) as refused:
        services.identity_link(actor=other, provider=psc, claims=psc_claims(), userinfo={})
    assert refused.value.reason == "rpps_mismatch"

    identity = services.identity_link(actor=doctor, provider=psc, claims=psc_claims(), userinfo={})
    assert identity.user == doctor
    with pytest.raises(services.LinkRefused) as refused:
        services.identity_link(
            actor=other, provider=psc, claims=psc_claims("10000000023"), userinfo={}
        )
    assert refused.value.reason == "linked_to_other_user"


def test_the_last_way_in_cannot_be_unlinked():
    fc = get_provider("fc")
    user = User.objects.create_user("passwordless")
    user.set_unusable_password()
    user.save()
    identity = ExternalIdentity.objects.create(
        user=user, issuer=fc.issuer, subject="s", provider="fc"
    )
    with pytest.raises(services.LinkRefused) as refused:
        services.identity_unlink(actor=user, identity=identity)
    assert refused.value.reason == "last_login_method"

    user.set_password("Pivoine-Orange-Velo-92")
    user.save()
    services.identity_unlink(actor=user, identity=identity)
    assert not ExternalIdentity.objects.exists()
    event = AuditEvent.objects.get(action="oidc.identity.unlinked")
    assert event.changes == {"provider": ["fc", None]}


def test_a_standard_provider_logs_in_only_identities_linked_beforehand(settings):
    settings.OIDC_PROVIDERS["fc"]["linking"] = "existing"
    fc = get_provider("fc")
    claims = {"sub": "unknown", "acr": "eidas1"}
    with pytest.raises(services.LinkRefused) as refused:
        services.login_complete(provider=fc, claims=claims, userinfo={"given_name": "A"})
    assert refused.value.reason == "not_linked"
    assert not User.objects.exists()


def test_an_inactive_doctor_cannot_log_in():
    psc = get_provider("psc")
    User.objects.create_user("doc", rpps="10000000007", is_active=False)
    with pytest.raises(services.LinkRefused) as refused:
        services.login_complete(provider=psc, claims=psc_claims(), userinfo=psc_claims())
    assert refused.value.reason == "user_inactive"
    assert not ExternalIdentity.objects.exists()


def test_local_doctors_match_the_demo_accounts_and_the_demo_patient_is_linked():
    from ordre.accounts import demo as accounts_demo
    from ordre.oidc import demo
    from ordre.oidc.provider.identities import DOCTOR_RPPS, HOSPITAL_DOCTOR_RPPS

    rpps = {login: extra.get("rpps") for login, _r, _f, _l, extra, _c in accounts_demo.ACCOUNTS}
    assert (rpps["medecin"], rpps["hospitalier"]) == (DOCTOR_RPPS, HOSPITAL_DOCTOR_RPPS)

    patient = User.objects.create_user(demo.DEMO_PATIENT_LOGIN)
    demo.load()
    demo.load()
    assert ExternalIdentity.objects.get().user == patient
    assert {entry["role"] for entry in demo.logins()} >= {"Patient (FranceConnect)"}


def test_pro_sante_connect_activities_are_read_from_subject_ref_pro():
    from ordre.oidc.provider.identities import identity

    activities = services.psc_activities(identity("hospitalier").claims)
    assert activities == [
        {
            "profession": "10",
            "savoir_faire": "SM54",
            "mode": "S",
            "finess": "690000880",
            "finess_legal": "690781810",
            "siret": "",
            "site": "Centre hospitalier de démonstration",
        }
    ]
    assert services.psc_activities({"SubjectRefPro": "garbage"}) == []
    assert services.psc_activities({}) == []


@pytest.mark.django_db
def test_a_session_waiting_for_2fa_may_log_out_or_switch_provider(client, django_user_model):
    """Provider pages stay reachable before the second factor; linking does not."""
    from django.urls import reverse

    user = django_user_model.objects.create_user("attente", password="x" * 16)
    client.force_login(user)
    second_factor_pages = (reverse("accounts:otp_enrol"), reverse("accounts:otp_verify"))
    assert client.get("/comptes/identites/")["Location"].startswith(second_factor_pages)
    begin = client.get("/comptes/oidc/psc/connexion/")
    assert not begin.get("Location", "").startswith(second_factor_pages)
    logout = client.post("/comptes/oidc/deconnexion/")
    assert logout.status_code == 302
    assert not logout["Location"].startswith(second_factor_pages)
