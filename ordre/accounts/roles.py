"""Roles are Django groups; these are their names (stable: data migrations create them)."""

from django.utils.translation import gettext_lazy as _

DOCTOR = "medecin"
APPLICANT = "demandeur"
CLERK = "instructeur"
HOSPITAL_PRO = "professionnel_hospitalier"
PATIENT = "patient"
IT_ADMIN = "admin_si"

ALL_ROLES = (DOCTOR, APPLICANT, CLERK, HOSPITAL_PRO, PATIENT, IT_ADMIN)

LABELS = {
    DOCTOR: _("Médecin"),
    APPLICANT: _("Demandeur"),
    CLERK: _("Instructeur de conseil départemental"),
    HOSPITAL_PRO: _("Professionnel hospitalier"),
    PATIENT: _("Patient"),
    IT_ADMIN: _("Administrateur du système d'information"),
}


def user_has_role(user, role: str) -> bool:
    """True when the (active, authenticated) user belongs to the group of `role`.

    The group names are cached on the user object for the time of the request.
    """
    if role not in ALL_ROLES:
        raise ValueError(f"unknown role {role!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_ordre_role_cache", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._ordre_role_cache = cached
    return role in cached
