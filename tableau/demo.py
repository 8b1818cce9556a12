"""Demonstration data of the register: the demo doctor account ("medecin") is entered in
the register of council 75 with the RPPS number the accounts demo gives it. Idempotent."""

import datetime as dt

from ordre.audit.actors import SystemActor


def load() -> None:
    from ordre.accounts.models import User
    from tableau import services
    from tableau.models import Doctor

    user = User.objects.filter(username="medecin").first()
    if user is None or not user.rpps or Doctor.objects.filter(rpps=user.rpps).exists():
        return
    services.doctor_register(
        actor=SystemActor("demo"),
        rpps=user.rpps,
        council="75",
        identity={
            "birth_name": "Médecin",
            "first_names": "Claire",
            "sex": "F",
            "birth_date": dt.date(1980, 5, 17),
            "birth_place": "Paris",
            "public_last_name": "Médecin",
            "public_first_name": "Claire",
        },
        email=user.email,
        user=user,
        qualifications=["SM54"],
        places=[
            {
                "mode": "L",
                "name": "Cabinet de la Bastille",
                "address": "12 rue de la Roquette",
                "postal_code": "75011",
                "city": "Paris",
                "is_primary": True,
            }
        ],
        registered_on=dt.date(2010, 9, 1),
    )


def logins() -> list[dict]:
    return []
