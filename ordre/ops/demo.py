"""Demonstration data: each installed app may ship a `demo` module.

A `demo` module defines `load()` (idempotent: a second run neither fails nor
duplicates) and may define `logins()` returning the demo accounts to show, as
dicts with `role`, `login`, `password` and `note`. Apps are visited in
`INSTALLED_APPS` order, so a lower layer's data exists before a higher one's.
"""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


def demo_modules() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if find_spec(name) is not None:
            modules.append(import_module(name))
    return modules
