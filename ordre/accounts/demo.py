"""Demonstration accounts, one per role, with a known password and second factor.

Development only. Every account has a fixed TOTP secret (add it to any authenticator
app, or compute the code with `oathtool --totp -b <secret>`) and one fixed backup code,
restored unused by every `load()` (so each `make run` gives it back).
"""

import hashlib
from base64 import b32encode

from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from ordre.accounts import roles, services
from ordre.accounts.models import CouncilRole, User
from ordre.audit.actors import SystemActor

DEMO_PASSWORD = "Ordre-Demo-2026!"  # noqa: S105 - development demo accounts only
DEMO_DOCTOR_RPPS = "10000000009"

# login, role, first name, last name, extra fields, council codes
ACCOUNTS = [
    ("admin", roles.IT_ADMIN, "Alice", "Admin", {"is_staff": True, "is_superuser": True}, []),
    ("instructeur75", roles.CLERK, "Paul", "Instructeur", {}, ["75"]),
    ("instructeur13", roles.CLERK, "Marion", "Instructrice", {}, ["13"]),
    ("medecin", roles.DOCTOR, "Claire", "Médecin", {"rpps": DEMO_DOCTOR_RPPS}, []),
    ("demandeur", roles.APPLICANT, "Hugo", "Demandeur", {}, []),
    ("hospitalier", roles.HOSPITAL_PRO, "Inès", "Hospitalière", {"rpps": "10000000017"}, []),
    ("patient", roles.PATIENT, "Louis", "Patient", {}, []),
]


def totp_key_hex(login: str) -> str:
    """A fixed 20-byte TOTP key per demo account (never use this outside the demo)."""
    return hashlib.sha1(f"ordre-demo-totp:{login}".encode(), usedforsecurity=False).hexdigest()


def totp_secret_base32(login: str) -> str:
    return b32encode(bytes.fromhex(totp_key_hex(login))).decode().rstrip("=")


def backup_code(login: str) -> str:
    digest = hashlib.sha256(f"ordre-demo-backup:{login}".encode()).digest()
    alphabet = services.BACKUP_CODE_ALPHABET
    raw = "".join(alphabet[b % len(alphabet)] for b in digest[: services.BACKUP_CODE_LENGTH])
    return f"{raw[:5]}-{raw[5:]}"


def load() -> None:
    actor = SystemActor("demo")
    for login, role, first_name, last_name, extra, councils in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=login,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{login}@demo.ordre.local",
                **extra,
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        TOTPDevice.objects.update_or_create(
            user=user,
            name="Démo",
            defaults={"key": totp_key_hex(login), "confirmed": True},
        )
        services.backup_code_set(user=user, code=backup_code(login))
        for code in councils:
            services.council_membership_add(
                actor=actor, user=user, council_code=code, role=CouncilRole.CLERK
            )


def logins() -> list[dict]:
    return [
        {
            "role": str(roles.LABELS[role]),
            "login": login,
            "password": DEMO_PASSWORD,
            "note": (
                f"TOTP base32 {totp_secret_base32(login)} ; code de secours {backup_code(login)} ; "
                f"code courant : manage.py demo_totp_code {login}"
            ),
        }
        for login, role, *_ in ACCOUNTS
    ]
