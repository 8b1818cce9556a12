"""Demonstration data: the local provider's patient is linked to the demo patient.

The doctors need nothing here: Pro Santé Connect links them by RPPS at their first
login (the local provider's doctors carry the RPPS of `ordre.accounts.demo`'s
`medecin` and `hospitalier`); the applicant's account is created by her first
FranceConnect login. Development only: nothing happens unless FranceConnect points at
the local provider.
"""

from django.conf import settings

from ordre.accounts.models import User
from ordre.oidc.conf import get_provider
from ordre.oidc.models import ExternalIdentity
from ordre.oidc.provider.defaults import PROFILE_PATHS
from ordre.oidc.provider.identities import identity

DEMO_PATIENT_LOGIN = "patient"


def _local_franceconnect():
    provider = get_provider("fc")
    if provider is None or not provider.enabled or settings.ORDRE_ENV == "prod":
        return None
    if not provider.issuer.endswith(PROFILE_PATHS["fc"]["issuer"]):
        return None
    return provider


def load() -> None:
    provider = _local_franceconnect()
    patient = User.objects.filter(username=DEMO_PATIENT_LOGIN).first()
    if provider is None or patient is None:
        return
    ExternalIdentity.objects.get_or_create(
        issuer=provider.issuer,
        subject=identity("patient").subject(provider.client_id),
        defaults={"user": patient, "provider": provider.key},
    )


def logins() -> list[dict]:
    if get_provider("fc") is None and get_provider("psc") is None:
        return []
    button = "bouton sur la page de connexion, puis identité de démonstration"
    return [
        {
            "role": "Médecin (Pro Santé Connect)",
            "login": "Dr Claire Médecin",
            "password": "—",
            "note": f"{button} ; « Carte CPS » : sans 2FA, « e-CPS » : 2FA du compte medecin",
        },
        {
            "role": "Professionnel hospitalier (Pro Santé Connect)",
            "login": "Dr Inès Hospitalière",
            "password": "—",
            "note": f"{button} ; « Carte CPS » : sans 2FA",
        },
        {
            "role": "Demandeur (FranceConnect)",
            "login": "Camille Bernard",
            "password": "—",
            "note": f"{button} ; compte créé à la première connexion, puis activation de la 2FA",
        },
        {
            "role": "Patient (FranceConnect)",
            "login": "Louis Patient",
            "password": "—",
            "note": f"{button} ; lié au compte patient, 2FA du compte patient",
        },
    ]
