"""Labels of the register's codes, from the official NOS files shipped by `rpps`."""

from rpps import nomenclature as nos


def specialty_label(code: str | None) -> str | None:
    return nos.label(nos.SPECIALTY, code)


def practice_mode_label(code: str | None) -> str | None:
    return nos.label(nos.PRACTICE_MODE, code)


def specialty_choices(*, active_only: bool = True) -> list[tuple[str, str]]:
    """Doctors' specialties (SM codes) of TRE_R38."""
    return [
        (c.code, c.label)
        for c in nos.codes(nos.SPECIALTY).values()
        if c.code.startswith("SM") and (not active_only or not c.end_date)
    ]


def practice_mode_choices() -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in nos.codes(nos.PRACTICE_MODE).values() if not c.end_date]


def is_specialty(code: str) -> bool:
    return code in nos.codes(nos.SPECIALTY)


def is_practice_mode(code: str) -> bool:
    return code in nos.codes(nos.PRACTICE_MODE)
