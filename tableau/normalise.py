"""The search form of a text, shared by the register and its directory: lowercase, no
accents, hyphens and apostrophes as spaces."""

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(_WORD.findall(plain.replace("œ", "oe").replace("æ", "ae")))


def department_of(postal_code: str) -> str:
    """The département of a French postal code (Corsica split, overseas on 3 digits)."""
    code = (postal_code or "").strip()
    if len(code) != 5 or not code.isdigit():
        return ""
    if code.startswith("97"):
        return code[:3]
    if code.startswith("20"):
        return "2A" if code < "20200" else "2B"
    return code[:2]
