"""Demonstration data: the councils are reference data, restored if missing."""

from ordre.councils.models import Council
from ordre.councils.reference import load_councils


def load() -> None:
    load_councils(Council)
