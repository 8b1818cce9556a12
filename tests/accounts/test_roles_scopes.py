import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ordre.accounts import demo, roles, selectors, services
from ordre.accounts.models import CouncilMembership, User
from ordre.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_every_role_group_exists_after_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)


def test_user_has_role(make_user):
    clerk = make_user("clerk", role=roles.CLERK)
    assert roles.user_has_role(clerk, roles.CLERK)
    assert not roles.user_has_role(clerk, roles.IT_ADMIN)
    clerk.is_active = False
    assert not roles.user_has_role(clerk, roles.CLERK)
    with pytest.raises(ValueError, match="unknown role"):
        roles.user_has_role(clerk, "pirate")


def test_council_membership_and_councils_of(make_user, it_admin):
    clerk = make_user("clerk75", role=roles.CLERK)
    other = make_user("clerk13", role=roles.CLERK)
    with transaction.atomic():
        services.council_membership_add(actor=it_admin, user=clerk, council_code="75")
        services.council_membership_add(actor=it_admin, user=clerk, council_code="75")
        services.council_membership_add(actor=it_admin, user=other, council_code="13")
    assert CouncilMembership.objects.filter(user=clerk).count() == 1
    assert [c.pk for c in selectors.councils_of(clerk)] == ["75"]
    assert selectors.council_codes_of(other) == ["13"]
    assert AuditEvent.objects.filter(action="accounts.council_membership.added").count() == 2


def test_council_members(make_user, it_admin, django_assert_num_queries):
    clerk = make_user("clerk75", role=roles.CLERK, last_name="B")
    rapporteur = make_user("rapp75", last_name="A")
    gone = make_user("gone75", role=roles.CLERK, is_active=False)
    other = make_user("clerk13", role=roles.CLERK)
    with transaction.atomic():
        services.council_membership_add(actor=it_admin, user=clerk, council_code="75")
        services.council_membership_add(
            actor=it_admin, user=clerk, council_code="75", role="rapporteur"
        )
        services.council_membership_add(
            actor=it_admin, user=rapporteur, council_code="75", role="rapporteur"
        )
        services.council_membership_add(actor=it_admin, user=gone, council_code="75")
        services.council_membership_add(actor=it_admin, user=other, council_code="13")
    with django_assert_num_queries(1):
        assert list(selectors.council_members("75")) == [rapporteur, clerk]
    assert list(selectors.council_members("75", roles=["clerk"])) == [clerk]
    assert list(selectors.council_members("75", roles=["rapporteur"])) == [rapporteur, clerk]
    assert list(selectors.council_members("13")) == [other]
    assert list(selectors.council_members("2A")) == []
    assert list(selectors.council_members(["13", "75"], roles=["clerk"])) == [other, clerk]


def test_demo_accounts_load_twice_and_can_pass_2fa(client):
    with transaction.atomic():
        demo.load()
    with transaction.atomic():
        demo.load()
    assert User.objects.filter(username__in=[a[0] for a in demo.ACCOUNTS]).count() == 7
    admin = User.objects.get(username="admin")
    assert roles.user_has_role(admin, roles.IT_ADMIN)
    assert selectors.council_codes_of(User.objects.get(username="instructeur75")) == ["75"]
    assert selectors.council_codes_of(User.objects.get(username="instructeur13")) == ["13"]
    assert User.objects.get(username="medecin").rpps == demo.DEMO_DOCTOR_RPPS
    rows = demo.logins()
    assert {row["login"] for row in rows} >= {"admin", "instructeur75", "medecin", "patient"}
    assert all(row["password"] == demo.DEMO_PASSWORD for row in rows)

    # A newcomer logs in with what logins() prints: password, then a TOTP code.
    response = client.post(
        "/comptes/connexion/", {"username": "admin", "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=admin)
    assert demo.totp_secret_base32("admin") in next(
        r["note"] for r in rows if r["login"] == "admin"
    )
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    assert (
        client.post("/comptes/double-authentification/verification/", {"code": code}).status_code
        == 302
    )
    assert client.get("/admin/").status_code == 200


def test_demo_backup_code_is_given_back_by_each_load(client):
    with transaction.atomic():
        demo.load()
    code = demo.backup_code("patient")
    verify = "/comptes/double-authentification/verification/"
    client.post("/comptes/connexion/", {"username": "patient", "password": demo.DEMO_PASSWORD})
    assert client.post(verify, {"code": code}).status_code == 302
    client.post("/comptes/deconnexion/")
    with transaction.atomic():
        demo.load()
    client.post("/comptes/connexion/", {"username": "patient", "password": demo.DEMO_PASSWORD})
    assert client.post(verify, {"code": code}).status_code == 302


def test_admin_adds_a_council_membership_through_the_service(client, it_admin, make_user):
    from tests.accounts.conftest import verify_session

    clerk = make_user("clerk", role=roles.CLERK)
    client.force_login(it_admin)
    verify_session(client, it_admin)
    response = client.post(
        "/admin/accounts/councilmembership/add/",
        {"user": clerk.pk, "council": "75", "role": "clerk", "since": "2026-01-05"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert selectors.council_codes_of(clerk) == ["75"]
    event = AuditEvent.objects.get(action="accounts.council_membership.added")
    assert event.actor_user_id == it_admin.pk


def test_demo_totp_code_command_gives_a_working_code(client):
    from io import StringIO

    from django.core.management import call_command

    with transaction.atomic():
        demo.load()
    out = StringIO()
    call_command("demo_totp_code", "instructeur75", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    client.post(
        "/comptes/connexion/", {"username": "instructeur75", "password": demo.DEMO_PASSWORD}
    )
    verify = "/comptes/double-authentification/verification/"
    assert client.post(verify, {"code": code}).status_code == 302
