"""In a real Chromium: the provider's pages, the way back, the strict CSP (`form-action`
must let the logout form end at the provider)."""

import pytest
from django.contrib.auth.models import Group

from ordre.accounts import roles
from ordre.accounts.models import User
from ordre.audit.models import AuditEvent
from ordre.oidc.provider.identities import DOCTOR_RPPS
from tests.oidc.conftest import flow

pytestmark = pytest.mark.browser


@flow
def test_card_login_and_logout_through_pro_sante_connect(page, idp, role_groups):
    doctor = User.objects.create_user("dr", rpps=DOCTOR_RPPS)
    doctor.groups.add(Group.objects.get(name=roles.DOCTOR))

    page.goto("/comptes/oidc/psc/connexion/")
    assert page.url.startswith(idp.base_url + "/psc-wallet/auth?")
    page.locator("li", has_text="Dr Claire Médecin").get_by_role(
        "button", name="Carte CPS (eidas2)"
    ).click()
    page.wait_for_url("**/")
    assert page.title().startswith("Accueil")

    # The header's logout form goes through the provider-aware logout view.
    assert page.locator('form[action="/comptes/oidc/deconnexion/"]').count() >= 1
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/comptes/oidc/psc/deconnexion/retour/**")
    assert page.get_by_text("Vous êtes déconnecté de l’Ordre et de Pro Santé Connect").is_visible()
    assert AuditEvent.objects.filter(action="oidc.logout.confirmed").count() == 1
