"""RPPS identifier rules: property tests (hypothesis) and known values."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rpps.identifiers import (
    IDNPS_SYSTEM,
    RPPS_SYSTEM,
    InvalidRpps,
    is_doctor_rpps,
    is_luhn_valid,
    is_rpps_format,
    luhn_check_digit,
    national_id,
    rpps_from_national_id,
    rpps_from_sequence,
)
from rpps.importer import _luhn_expr

digits = st.text(alphabet="0123456789", min_size=1, max_size=20)
sequence_values = st.integers(min_value=1, max_value=10**8 - 1)


@given(digits)
def test_appending_the_check_digit_makes_a_valid_number(payload):
    assert is_luhn_valid(payload + luhn_check_digit(payload))


@given(digits, st.integers(min_value=1, max_value=9))
def test_changing_the_check_digit_breaks_it(payload, delta):
    good = int(luhn_check_digit(payload))
    assert not is_luhn_valid(payload + str((good + delta) % 10))


@given(st.text(alphabet="0123456789", min_size=2, max_size=20), st.data())
def test_any_single_digit_error_is_detected(number, data):
    number = number[:-1] + luhn_check_digit(number[:-1])
    position = data.draw(st.integers(min_value=0, max_value=len(number) - 1))
    delta = data.draw(st.integers(min_value=1, max_value=9))
    wrong = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    assert not is_luhn_valid(wrong)


@given(sequence_values)
def test_issued_numbers_are_doctor_rpps_with_luhn(value):
    number = rpps_from_sequence(value)
    assert len(number) == 11 and number.isdigit()
    assert number.startswith("10")
    assert is_doctor_rpps(number)
    assert is_luhn_valid(number)
    assert int(number[2:10]) == value


@given(sequence_values, sequence_values)
def test_distinct_sequence_values_give_distinct_numbers(a, b):
    assert (rpps_from_sequence(a) == rpps_from_sequence(b)) == (a == b)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_national_id_round_trip(rpps):
    idnps = national_id(rpps)
    assert idnps == "8" + rpps and len(idnps) == 12
    assert rpps_from_national_id(idnps) == rpps


def test_known_values():
    # The classic Luhn example (credit-card style): 7992739871 -> check digit 3.
    assert luhn_check_digit("7992739871") == "3"
    assert is_luhn_valid("79927398713")
    assert rpps_from_sequence(1) == "10000000017"  # 2*1 + 1 = 3 -> 7
    assert RPPS_SYSTEM == "https://rpps.esante.gouv.fr"
    assert IDNPS_SYSTEM == "urn:oid:1.2.250.1.71.4.2.1"


@pytest.mark.parametrize(
    "value", ["", "1234567890", "123456789012", "1000000001a", None, "١٠٠٠٠٠٠٠٠١٧"]
)
def test_rpps_format_is_exactly_eleven_ascii_digits(value):
    assert not is_rpps_format(value)
    if value is not None:
        with pytest.raises(InvalidRpps):
            national_id(value)


def test_adeli_national_id_is_not_an_rpps():
    assert rpps_from_national_id("0123456789") is None
    assert rpps_from_national_id("912345678901") is None


@pytest.mark.parametrize("value", [0, 10**8, -5])
def test_sequence_out_of_range(value):
    with pytest.raises(ValueError):
        rpps_from_sequence(value)


@pytest.mark.django_db
@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_sql_luhn_flag_matches_python(number):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_luhn_expr(f'{int(number)}::bigint')}")  # an int: a safe literal
        assert cursor.fetchone()[0] is is_luhn_valid(number)
