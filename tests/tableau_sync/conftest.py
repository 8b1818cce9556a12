import datetime as dt
import itertools

import pytest
from django.db import transaction

from ordre.audit.actors import SystemActor
from tableau.services import doctor_register

_numbers = itertools.count(1)


@pytest.fixture
def register_doctor():
    """Enter a doctor in the register through the real service (writes the outbox)."""

    def make(council: str = "75", name: str = "Martin"):
        n = next(_numbers)
        with transaction.atomic():
            return doctor_register(
                actor=SystemActor("test:sync"),
                rpps=f"10{n:09d}",
                council=council,
                identity={
                    "birth_name": name,
                    "first_names": "Jeanne Marie",
                    "sex": "F",
                    "birth_date": dt.date(1980, 5, 17),
                    "birth_place": "Lyon",
                },
            )

    return make
