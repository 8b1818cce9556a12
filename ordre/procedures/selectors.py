"""Reads of the dossier engine, scoped to who asks.

A clerk sees, counts and reaches only the dossiers of their own council(s); an
applicant only their own dossiers.
"""

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ordre.procedures import permissions
from ordre.procedures.enums import DossierState
from ordre.procedures.models import Dossier, DossierEvent, Message, Piece, PieceRequest, PrivateNote

#: Filters understood by `dossiers_for_clerk`.
CLERK_FILTERS = (
    "kind",
    "state",
    "assignee",
    "deadline_before",
    "overdue",
    "council",
    "direction",
    "q",
)


def dossiers_for_clerk(user, filters: dict | None = None) -> QuerySet[Dossier]:
    """The dossiers of the councils `user` reviews for, filed (no drafts), filtered.

    `filters`: `kind`, `state` (a state or "pending"), `assignee` (a user id, "me" or
    "none"), `deadline_before` (a datetime or date), `overdue` (bool), `council` (a
    code, only among the user's councils), `direction` ("outgoing": the transfers
    leaving the user's councils, decided elsewhere), `q` (reference "D-0000123" or id).
    Sorted by remaining time (the closest deadline first, then the oldest submission).

    Besides its own council's dossiers, a clerk sees (read-only) the dossiers whose origin
    council is theirs: a transfer is decided by the receiving council and followed by the
    council the doctor leaves.
    """
    codes = permissions.clerk_council_codes(user)
    scope = Q(council_id__in=codes)
    # The OR costs the queue its ordered index scan: add it only when a transfer leaves
    # one of these councils (one indexed probe).
    if codes and Dossier.objects.filter(origin_council_id__in=codes).exists():
        scope |= Q(origin_council_id__in=codes)
    qs = Dossier.objects.filter(scope).exclude(state=DossierState.DRAFT)
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    if "kind" in filters:
        qs = qs.filter(kind=filters["kind"])
    state = filters.get("state")
    if state == "pending":
        qs = qs.pending()
    elif state:
        qs = qs.filter(state=state)
    assignee = filters.get("assignee")
    if assignee == "me":
        qs = qs.filter(assigned_clerk=user)
    elif assignee == "none":
        qs = qs.filter(assigned_clerk__isnull=True)
    elif assignee:
        qs = qs.filter(assigned_clerk_id=assignee)
    if "deadline_before" in filters:
        qs = qs.filter(deadline__lte=filters["deadline_before"])
    if filters.get("overdue"):
        qs = qs.overdue()
    if "council" in filters:
        qs = qs.filter(council_id=filters["council"])
    if filters.get("direction") == "outgoing":
        qs = qs.filter(origin_council_id__in=codes).exclude(council_id__in=codes)
    if "q" in filters:
        text = str(filters["q"]).strip().upper().removeprefix("D-").lstrip("0")
        qs = qs.filter(pk=int(text)) if text.isdigit() else qs.none()
    # Prefetched, not joined: with the transfers' OR the sort cannot use the queue index,
    # and joining every row before the top-N sort doubles the time (bench/).
    return qs.prefetch_related("applicant", "council", "assigned_clerk").order_by(
        "deadline", "submitted_at", "id"
    )


def dossier_counts_for_clerk(user, filters: dict | None = None) -> dict[str, int]:
    """Number of dossiers per state among the clerk's dossiers (ignoring the state filter)."""
    filters = {k: v for k, v in (filters or {}).items() if k != "state"}
    rows = dossiers_for_clerk(user, filters).order_by().values("state").annotate(n=Count("id"))
    counts = {state: 0 for state in DossierState.values if state != DossierState.DRAFT}
    counts.update({row["state"]: row["n"] for row in rows})
    counts["total"] = sum(v for k, v in counts.items() if k != "total")
    return counts


def dossier_for_clerk(user, pk: int) -> Dossier:
    """One dossier the clerk may reach; `Dossier.DoesNotExist` otherwise (a 404, not a 403)."""
    return dossiers_for_clerk(user).get(pk=pk)


def dossiers_for_applicant(user) -> QuerySet[Dossier]:
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(applicant=user)
        .select_related("council")
        .annotate(
            open_piece_requests=Count(
                "piece_requests", filter=Q(piece_requests__answered_at__isnull=True)
            )
        )
        .order_by("-updated_at", "-id")
    )


def dossier_for_applicant(user, pk: int) -> Dossier:
    return dossiers_for_applicant(user).get(pk=pk)


def dossier_history(dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor").order_by("created_at", "id")


def dossier_pieces(dossier: Dossier) -> QuerySet[Piece]:
    return dossier.pieces.filter(removed_at__isnull=True).select_related("document")


def dossier_messages(dossier: Dossier) -> QuerySet[Message]:
    return dossier.messages.select_related("author").prefetch_related("attachments")


def dossier_private_notes(user, dossier: Dossier) -> QuerySet[PrivateNote]:
    """Private notes: clerks of the dossier's council only (nothing for anyone else)."""
    if not permissions.is_clerk_of(user, dossier.council_id):
        return PrivateNote.objects.none()
    return dossier.private_notes.select_related("author")


def assignable_clerks(council_code):
    """Who a dossier of `council_code` (or of any of several codes) may be assigned to:
    active users with the clerk role and a membership of the council."""
    from ordre.accounts.roles import CLERK
    from ordre.accounts.selectors import council_members

    return council_members(council_code).filter(groups__name=CLERK)


def assignable_rapporteurs(council_code: str):
    """Who may be the rapporteur of a dossier of `council_code`: any member of the council."""
    from ordre.accounts.selectors import council_members

    return council_members(council_code)


def open_piece_requests(dossier: Dossier) -> QuerySet[PieceRequest]:
    return dossier.piece_requests.filter(answered_at__isnull=True)


def time_remaining(dossier: Dossier, now: datetime | None = None):
    if dossier.deadline is None:
        return None
    return dossier.deadline - (now or timezone.now())
