import datetime as dt
import itertools

from ordre.audit.actors import SystemActor

_numbers = itertools.count(1)

ACTOR = SystemActor("test")

IDENTITY = {
    "birth_name": "Martin",
    "used_name": "Durand-Martin",
    "first_names": "Élise Marie",
    "sex": "F",
    "birth_date": dt.date(1985, 4, 12),
    "birth_place": "Lyon",
    "nationality": "FR",
}

PLACE = {
    "mode": "L",
    "name": "Cabinet médical",
    "address": "1 rue de la Paix",
    "postal_code": "75002",
    "city": "Paris",
    "siret": "73282932000074",
    "is_primary": True,
}


def make_doctor(*, council: str = "75", actor=ACTOR, **kwargs):
    from rpps.identifiers import luhn_check_digit
    from tableau import services

    payload = f"10{next(_numbers) + 90000000:08d}"
    defaults = {
        "rpps": payload + luhn_check_digit(payload),
        "council": council,
        "identity": dict(IDENTITY),
        "email": "elise@example.org",
        "qualifications": ["SM54"],
        "places": [dict(PLACE)],
    }
    defaults.update(kwargs)
    return services.doctor_register(actor=actor, **defaults)
