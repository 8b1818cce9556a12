"""Reads of the councils. Reference data: public inside the platform, no user scoping."""

from django.db.models import QuerySet

from ordre.councils.models import Council, CouncilKind


def normalize_code(code: str | int) -> str:
    """`"75"`, `75`, `" 2a "` and `"7"` become `"75"`, `"75"`, `"2A"` and `"07"`."""
    text = str(code).strip().upper()
    if text.isdigit() and len(text) == 1:
        text = f"0{text}"
    return text


def council_list(*, include_inactive: bool = False) -> QuerySet[Council]:
    """Every entry (departmental, national, none), ordered by code."""
    queryset = Council.objects.all()
    if not include_inactive:
        queryset = queryset.active()
    return queryset.order_by("code")


def departmental_councils() -> QuerySet[Council]:
    """The departmental councils in service (101 in the reference data)."""
    return Council.objects.active().departmental().order_by("code")


def get_council(code: str | int) -> Council:
    """The entry with this code; raises `Council.DoesNotExist` when there is none."""
    return Council.objects.get(pk=normalize_code(code))


def council_for_department(department_code: str | int) -> Council | None:
    """The departmental council covering a département, or None (975, unknown code)."""
    return (
        Council.objects.active()
        .departmental()
        .filter(department_code=normalize_code(department_code))
        .first()
    )


def national_council() -> Council:
    return Council.objects.get(kind=CouncilKind.NATIONAL)
