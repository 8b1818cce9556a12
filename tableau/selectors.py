"""Reads of the register."""

from django.db.models import Prefetch, QuerySet

from tableau.enums import DoctorStatus
from tableau.models import Doctor, DoctorStatusChange, PracticePlace, Qualification


def doctor_of_user(user) -> Doctor | None:
    """The register entry of a logged-in doctor (None for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Doctor.objects.select_related("council")
        .prefetch_related(
            Prefetch(
                "qualifications", queryset=Qualification.objects.filter(ended_on__isnull=True)
            ),
            Prefetch(
                "practice_places", queryset=PracticePlace.objects.filter(ended_on__isnull=True)
            ),
        )
        .filter(user=user)
        .first()
    )


def doctor_by_rpps(rpps: str) -> Doctor | None:
    return Doctor.objects.select_related("council").filter(rpps=rpps).first()


def doctors_of_council(council_code: str) -> QuerySet[Doctor]:
    """The doctors currently attached to a council (registered or suspended)."""
    return Doctor.objects.filter(
        council_id=council_code, status__in=[DoctorStatus.REGISTERED, DoctorStatus.SUSPENDED]
    ).select_related("council")


def status_history(doctor: Doctor) -> QuerySet[DoctorStatusChange]:
    return doctor.status_changes.select_related("council").order_by("effective_on", "id")
