"""Demonstration data: an API key of the council of Paris's system, with a fixed secret
(derived from its name: development only), carrying every registered scope."""

from ordre.api.scopes import known_scopes
from ordre.api.services import restore_demo_api_key
from ordre.audit.actors import SystemActor

DEMO_KEY_NAME = "demo-si-conseil-75"


def _restore() -> str:
    return restore_demo_api_key(
        actor=SystemActor("demo"),
        name=DEMO_KEY_NAME,
        scopes=list(known_scopes()),
        council_code="75",
    )


def load() -> None:
    _restore()


def logins() -> list[dict]:
    from ordre.api.keys import demo_key

    return [
        {
            "role": "Clé d'API (système du conseil 75)",
            "login": f"Authorization: Api-Key {demo_key(DEMO_KEY_NAME).token}",
            "password": "",
            "note": "à essayer sur /api/docs/ (Authorize) ; portées : " + ", ".join(known_scopes()),
        }
    ]
