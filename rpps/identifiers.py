"""RPPS identifier rules (DESIGN.md s.4). Pure functions, no database.

- An RPPS number is 11 digits, always kept as a string (leading zeros matter).
- The national identifier of a professional (IDNPS) is "8" + RPPS, 12 characters.
- Doctors' numbers start with "10".
- Numbers *we* issue end with a Luhn check digit. Numbers imported from the national
  directory that fail the Luhn check are flagged (`luhn_valid=False`), never rejected:
  the official algorithm of the national numbers is unconfirmed.
"""

import re

RPPS_LENGTH = 11
DOCTOR_PREFIX = "10"
IDNPS_PREFIX = "8"

# FHIR systems (FR Core / national directory API).
RPPS_SYSTEM = "https://rpps.esante.gouv.fr"
IDNPS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1"
IDENTIFIER_TYPE_SYSTEM = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"

_RPPS_RE = re.compile(r"^[0-9]{11}$")


class InvalidRpps(ValueError):
    """The value is not an RPPS number (11 digits)."""


def is_rpps_format(value: str | None) -> bool:
    """True when `value` is exactly 11 ASCII digits (no Luhn check)."""
    return bool(value) and _RPPS_RE.match(value) is not None


def is_doctor_rpps(value: str | None) -> bool:
    return is_rpps_format(value) and value.startswith(DOCTOR_PREFIX)


def _luhn_sum(digits: str, *, double_first: bool) -> int:
    total = 0
    double = double_first
    for char in reversed(digits):
        d = ord(char) - 48
        if double:
            d *= 2
            if d > 9:
                d -= 9
        total += d
        double = not double
    return total


def luhn_check_digit(payload: str) -> str:
    """The Luhn check digit to append to the digit string `payload`."""
    if not payload or not payload.isascii() or not payload.isdigit():
        raise ValueError("luhn_check_digit needs a non-empty string of digits")
    return str((10 - _luhn_sum(payload, double_first=True) % 10) % 10)


def is_luhn_valid(number: str | None) -> bool:
    """True when the digit string `number` ends with a correct Luhn check digit."""
    if not number or not number.isascii() or not number.isdigit() or len(number) < 2:
        return False
    return _luhn_sum(number, double_first=False) % 10 == 0


def rpps_from_sequence(value: int) -> str:
    """The RPPS number we issue for sequence value `value`: "10" + 8 digits + Luhn digit."""
    if not 0 < value < 10**8:
        raise ValueError("the RPPS sequence value must be between 1 and 99,999,999")
    payload = f"{DOCTOR_PREFIX}{value:08d}"
    return payload + luhn_check_digit(payload)


def validate_rpps(value: str) -> str:
    """Return `value` if it is an RPPS number (11 digits), else raise InvalidRpps.

    The Luhn check is *not* applied: imported numbers may legitimately fail it.
    """
    if not is_rpps_format(value):
        raise InvalidRpps(f"Un numéro RPPS comporte 11 chiffres ({value!r}).")
    return value


def national_id(rpps: str) -> str:
    """The national identifier of a professional (IDNPS): "8" + RPPS."""
    return IDNPS_PREFIX + validate_rpps(rpps)


def rpps_from_national_id(value: str) -> str | None:
    """The RPPS inside a national identifier "8" + 11 digits, or None (e.g. ADELI "0…")."""
    if value and len(value) == RPPS_LENGTH + 1 and value.startswith(IDNPS_PREFIX):
        rest = value[1:]
        if is_rpps_format(rest):
            return rest
    return None


def luhn_flag(rpps: str) -> bool:
    """Soft flag stored on imported numbers: False means "fails Luhn", never a rejection."""
    return is_luhn_valid(rpps)
