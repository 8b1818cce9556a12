"""Password rules: length over complexity, and no guessable password.

`MinimumLengthValidator` (12, in settings) sets the length. `BreachedPasswordValidator`
rejects what an attacker tries first: a password of a local list of breached or common
passwords (also after removing decorations: `Soleil2024!` is `soleil`), and a password
made mostly of the person's own name, e-mail or RPPS, keyboard or alphabet sequences,
or repeated characters.
"""

import gzip
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LIST_PATH = Path(__file__).resolve().parent / "data" / "breached-passwords.txt.gz"

# Rows of French (AZERTY) and English (QWERTY) keyboards, the alphabet and the digits.
SEQUENCES = (
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qwertzuiop",
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "&é\"'(-è_çà",
    "1q2w3e4r5t6y7u8i9o0p",
    "1a2z3e4r5t6y7u8i9o0p",
)
MIN_SEQUENCE_RUN = 4
MIN_REPEAT_RUN = 3
MIN_RESIDUAL = 6

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)


def _fold(text: str) -> str:
    """Lowercase without accents."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_base(password: str) -> str:
    """The word under the decorations: lowercased, accents removed, leading and
    trailing digits and symbols stripped, then common letter substitutions undone."""
    folded = _fold(password)
    stripped = re.sub(r"^[^a-z]+|[^a-z]+$", "", folded)
    return stripped.translate(_LEET)


@lru_cache(maxsize=1)
def breached_passwords() -> frozenset[str]:
    with gzip.open(LIST_PATH, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def _personal_tokens(user) -> list[str]:
    if user is None:
        return []
    values = [
        getattr(user, "username", ""),
        getattr(user, "first_name", ""),
        getattr(user, "last_name", ""),
        getattr(user, "rpps", "") or "",
    ]
    email = getattr(user, "email", "") or ""
    if "@" in email:
        local, _, domain = email.partition("@")
        values += [local, domain.split(".")[0]]
    tokens = set()
    for value in values:
        for part in re.split(r"[\s._@+-]+", _fold(str(value))):
            if len(part) >= 3:
                tokens.add(part)
        folded = _fold(str(value))
        if len(folded) >= 3:
            tokens.add(folded)
    return sorted(tokens, key=len, reverse=True)


def _sequence_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that follow a keyboard/alphabet/digit sequence, either way."""
    spans = []
    i = 0
    while i < len(text):
        best = 0
        for seq in SEQUENCES:
            for line in (seq, seq[::-1]):
                pos = line.find(text[i])
                while pos != -1:
                    length = 1
                    while (
                        i + length < len(text)
                        and pos + length < len(line)
                        and text[i + length] == line[pos + length]
                    ):
                        length += 1
                    best = max(best, length)
                    pos = line.find(text[i], pos + 1)
        if best >= MIN_SEQUENCE_RUN:
            spans.append((i, i + best))
            i += best
        else:
            i += 1
    return spans


def guessable_parts(password: str, user=None) -> tuple[str, set[str]]:
    """Remove the guessable parts of `password`; return what is left and why parts went."""
    text = _fold(password)
    reasons: set[str] = set()
    for token in _personal_tokens(user):
        if token in text:
            text = text.replace(token, "\x00")
            reasons.add("personal")
    repeated = re.compile(rf"(.)\1{{{MIN_REPEAT_RUN - 1},}}")
    if repeated.search(text.replace("\x00", "")):
        text = repeated.sub("\x00", text)
        reasons.add("repeat")
    spans = _sequence_spans(text)
    if spans:
        reasons.add("sequence")
        for start, end in reversed(spans):
            text = text[:start] + "\x00" + text[end:]
    return text.replace("\x00", ""), reasons


class BreachedPasswordValidator:
    """Reject breached/common passwords and passwords made of guessable parts."""

    def __init__(self, min_residual: int = MIN_RESIDUAL):
        self.min_residual = min_residual

    def validate(self, password, user=None):
        words = breached_passwords()
        lowered = _fold(password)
        base = normalize_base(password)
        tokens = [t.translate(_LEET) for t in re.split(r"[^a-z0-9@$!]+", lowered) if t]
        letter_tokens = [normalize_base(t) for t in tokens]
        letter_tokens = [t for t in letter_tokens if t]
        if (
            lowered in words
            or (len(base) >= 4 and base in words)
            or (
                letter_tokens
                and len(set(letter_tokens)) <= 2
                and all(t in words for t in letter_tokens)
            )
        ):
            raise ValidationError(
                _(
                    "Ce mot de passe figure parmi les mots de passe divulgués ou trop "
                    "courants : choisissez-en un autre, par exemple une phrase de "
                    "plusieurs mots."
                ),
                code="password_breached",
            )
        residual, reasons = guessable_parts(password, user)
        if len(residual) < self.min_residual or len(set(residual)) < 4:
            labels = {
                "personal": _("vos nom, identifiant, adresse électronique ou numéro RPPS"),
                "sequence": _("des suites de clavier, de lettres ou de chiffres"),
                "repeat": _("des caractères répétés"),
            }
            causes = " ; ".join(str(labels[r]) for r in sorted(reasons)) or _(
                "trop peu de caractères différents"
            )
            raise ValidationError(
                _(
                    "Ce mot de passe est trop facile à deviner : il se compose surtout "
                    "d’éléments prévisibles (%(causes)s). Ajoutez des mots ou des "
                    "caractères moins prévisibles."
                ),
                code="password_guessable",
                params={"causes": causes},
            )

    def get_help_text(self):
        return _(
            "Votre mot de passe ne doit pas figurer parmi les mots de passe divulgués, "
            "ni être composé de vos nom, adresse électronique ou numéro RPPS, de suites "
            "de clavier ou de caractères répétés."
        )
