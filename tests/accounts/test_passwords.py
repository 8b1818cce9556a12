import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from ordre.accounts.models import User
from ordre.accounts.validators import BreachedPasswordValidator, breached_passwords

PERSON = User(
    username="jdupont",
    first_name="Jean",
    last_name="Dupont",
    email="jean.dupont@exemple.fr",
    rpps="10000000009",
)


def codes(password, user=PERSON):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}, " ".join(error.messages)
    return set(), ""


@pytest.mark.parametrize(
    "password",
    ["Pivoine-Orange-Velo-92", "correct horse battery staple", "Tr0ub4dor&3-pieds-Lune"],
)
def test_good_passwords_pass(password):
    assert codes(password) == (set(), "")


def test_length_comes_first():
    found, message = codes("Xk7#pQ2!")
    assert "password_too_short" in found
    assert "12 caractères" in message


@pytest.mark.parametrize(
    "password", ["Soleil2024!!", "P@ssw0rd1234", "azertyuiop12", "marseille marseille"]
)
def test_breached_or_common_passwords_are_refused(password):
    found, message = codes(password)
    assert "password_breached" in found, password
    assert "divulgués" in message


@pytest.mark.parametrize(
    ("password", "cause"),
    [
        ("JeanDupont-1985", "vos nom"),
        ("10000000009-ab!", "numéro RPPS"),
        ("qsdfghjklm!!x12", "suites de clavier"),
        ("aaaaaaaaaaaaaa", "caractères répétés"),
        ("kkk-zyxwvu-98765", "suites de clavier"),
    ],
)
def test_guessable_passwords_are_refused_with_the_reason(password, cause):
    found, message = codes(password)
    assert "password_guessable" in found, password
    assert cause in message


def test_the_list_is_local_and_compact():
    words = breached_passwords()
    assert 10_000 <= len(words) <= 30_000
    assert {"azerty", "motdepasse", "123456", "password"} <= words


def test_help_text_is_french():
    assert "divulgués" in BreachedPasswordValidator().get_help_text()
