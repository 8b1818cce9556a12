"""Who may act on a dossier. Clerks act only on the dossiers of their own council(s)."""

from ordre.accounts.roles import CLERK, user_has_role


def clerk_council_codes(user) -> frozenset[str]:
    """Codes of the councils `user` reviews for (empty unless they hold the clerk role).

    Cached on the user object for the time of the request.
    """
    if not user_has_role(user, CLERK):
        return frozenset()
    cached = getattr(user, "_ordre_clerk_councils", None)
    if cached is None:
        from ordre.accounts.selectors import council_codes_of

        cached = frozenset(council_codes_of(user))
        user._ordre_clerk_councils = cached
    return cached


def is_clerk_of(user, council_code: str) -> bool:
    return council_code in clerk_council_codes(user)


def is_applicant_of(user, dossier) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and dossier.applicant_id == user.pk
    )


def is_origin_clerk_of(user, dossier) -> bool:
    """A clerk of the council the applicant leaves (a transfer): sees, never acts."""
    return dossier.origin_council_id is not None and is_clerk_of(user, dossier.origin_council_id)


def may_act_as_clerk(user, dossier) -> bool:
    """Every decision, transition, message or note needs the dossier's own council."""
    return is_clerk_of(user, dossier.council_id)


def can_view_as_clerk(user, dossier) -> bool:
    return may_act_as_clerk(user, dossier) or is_origin_clerk_of(user, dossier)


def can_view(user, dossier) -> bool:
    return is_applicant_of(user, dossier) or can_view_as_clerk(user, dossier)


def is_member_of(user, council_code: str) -> bool:
    """Any membership of the council (a rapporteur is an elected member, not a clerk)."""
    if user is None or not getattr(user, "is_active", False):
        return False
    from ordre.accounts.selectors import council_codes_of

    return council_code in council_codes_of(user)


def clerk_may_download(user, document) -> bool:
    """Documents access rule: the clerks of a dossier's council may download its pieces
    and the attachments of its messages (the owner always can)."""
    codes = clerk_council_codes(user)
    if not codes:
        return False
    from ordre.procedures.models import Message, Piece

    return (
        Piece.objects.filter(document=document, dossier__council_id__in=codes).exists()
        or Message.objects.filter(attachments=document, dossier__council_id__in=codes).exists()
    )
