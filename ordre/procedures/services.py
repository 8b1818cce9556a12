"""Every write of the dossier engine. One service per transition of `workflow.TRANSITIONS`.

Each transition service: `@transaction.atomic`, locks the dossier (`select_for_update`),
checks the actor's right then the transition, writes the dossier and one
`DossierEvent`, records ONE audit event `procedures.dossier.<verb>` and notifies (the
notification kernel sends its e-mail on commit). Errors carry French messages.
"""

from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ordre.audit.actors import SystemActor
from ordre.audit.services import record_event
from ordre.procedures import permissions
from ordre.procedures.enums import APPEAL_DAYS, Decision, DossierState, action
from ordre.procedures.models import Dossier, DossierEvent, Message, Piece, PieceRequest, PrivateNote
from ordre.procedures.registry import get_kind
from ordre.procedures.workflow import TRANSITIONS, Actor


class DossierError(Exception):
    """A business rule of the engine refused the operation (message in French)."""


class TransitionNotAllowed(DossierError):
    pass


class MissingPieces(DossierError):
    def __init__(self, message: str, codes: list[str]):
        super().__init__(message)
        self.codes = codes


class DossierPermissionDenied(PermissionDenied):
    pass


_UNSET = object()


# --- helpers ---------------------------------------------------------------------------


def _lock(dossier: Dossier | int) -> Dossier:
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    return Dossier.objects.select_for_update(of=("self",)).select_related("council").get(pk=pk)


def _check_actor(role: Actor, actor, dossier: Dossier) -> None:
    if role == Actor.CLERK:
        ok = permissions.is_clerk_of(actor, dossier.council_id)
    elif role == Actor.APPLICANT:
        ok = permissions.is_applicant_of(actor, dossier)
    else:
        ok = isinstance(actor, SystemActor)
    if not ok:
        raise DossierPermissionDenied(_("Vous n’avez pas le droit d’agir sur ce dossier."))


def _check(verb: str, actor, dossier: Dossier) -> None:
    transition = TRANSITIONS[verb]
    _check_actor(transition.actor, actor, dossier)
    if dossier.state not in transition.sources:
        raise TransitionNotAllowed(
            _("Action « %(action)s » impossible sur un dossier à l’état « %(state)s ».")
            % {"action": transition.label, "state": dossier.get_state_display()}
        )


def _actor_user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _actor_label(actor) -> str:
    if isinstance(actor, SystemActor):
        return actor.label
    return actor.get_username() if actor is not None else ""


def _record(
    verb: str,
    actor,
    dossier: Dossier,
    *,
    from_state: str,
    comment: str = "",
    changes: dict | None = None,
) -> DossierEvent:
    """Write the history row and the one audit event of a dossier action."""
    event = DossierEvent.objects.create(
        dossier=dossier,
        verb=verb,
        from_state=from_state,
        to_state=dossier.state,
        actor=_actor_user(actor),
        actor_label=_actor_label(actor)[:100],
        comment=comment or None,
    )
    all_changes = {"state": [from_state, dossier.state]} if from_state != dossier.state else {}
    all_changes.update(changes or {})
    record_event(
        actor=actor,
        action=action(verb),
        target=dossier,
        subject=f"dossier:{dossier.pk}",
        changes={"kind": dossier.kind, "council": dossier.council_id, **all_changes},
    )
    return event


def _save(dossier: Dossier, fields: Iterable[str]) -> None:
    dossier.updated_at = timezone.now()
    dossier.save(update_fields=[*fields, "updated_at"])


def _notify(
    recipient, template: str, dossier: Dossier, *, for_clerk: bool = False, **context
) -> None:
    """Inbox message + e-mail (sent by the notification kernel once we commit)."""
    if recipient is None:
        return
    link = f"/instruction/dossiers/{dossier.pk}/" if for_clerk else f"/mes-dossiers/{dossier.pk}/"
    from ordre.notifications.services import notify

    notify(
        recipient=recipient,
        template=template,
        context={
            "dossier_id": dossier.pk,
            "reference": dossier.reference,
            "kind_label": dossier.kind_label,
            "state_label": str(dossier.get_state_display()),
            "council_name": dossier.council.name,
            "link": link,
            **context,
        },
    )


def _lock_documents(documents) -> None:
    """Lock the documents a new row will reference before the audit chain lock.

    The foreign keys are checked at commit with a KEY SHARE lock on the document; the
    processing task holds the document FOR UPDATE and then takes the chain lock. Taking
    the document first, here, keeps one lock order and so no deadlock."""
    from ordre.documents.models import Document

    ids = [d.pk for d in documents]
    if ids:
        list(
            Document.objects.select_for_update(no_key=True)
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _missing_pieces(dossier: Dossier) -> list[str]:
    kind = get_kind(dossier.kind)
    # A document the pipeline rejected (wrong content, virus) does not count as given.
    present = set(
        dossier.pieces.filter(removed_at__isnull=True)
        .exclude(document__status="rejected")
        .values_list("code", flat=True)
        .distinct()
    )
    return [p.code for p in kind.required_pieces if p.code not in present]


def _check_complete_file(dossier: Dossier) -> None:
    kind = get_kind(dossier.kind)
    if kind.form_class is not None:
        form = kind.form_class(data=dossier.form_data)
        if not form.is_valid():
            raise DossierError(_("Le formulaire est incomplet ou invalide."))
    missing = _missing_pieces(dossier)
    if missing:
        labels = ", ".join(str(kind.piece(code).label) for code in missing)
        raise MissingPieces(_("Pièces manquantes : %(pieces)s.") % {"pieces": labels}, missing)


# --- creation and edition by the applicant ---------------------------------------------


@transaction.atomic
def dossier_create(*, actor, kind: str, council, form_data: dict | None = None) -> Dossier:
    """A new draft dossier of `kind` filed by `actor` to `council` (a Council or its code)."""
    try:
        procedure = get_kind(kind)
    except LookupError:
        raise DossierError(_("Démarche inconnue.")) from None
    if not getattr(actor, "is_authenticated", False):
        raise DossierPermissionDenied(_("Connectez-vous pour déposer un dossier."))
    if procedure.can_apply is not None and not procedure.can_apply(actor):
        raise DossierPermissionDenied(_("Vous ne pouvez pas déposer ce type de dossier."))
    from ordre.councils.models import Council

    code = getattr(council, "pk", council)
    if not Council.objects.filter(pk=code, is_active=True).exists():
        raise DossierError(_("Conseil inconnu."))
    origin = procedure.origin_council_for(actor) if procedure.origin_council_for else None
    dossier = Dossier.objects.create(
        kind=kind,
        applicant=actor,
        council_id=code,
        origin_council_id=origin if origin != code else None,
        form_data=form_data or {},
    )
    _record(
        "create",
        actor,
        dossier,
        from_state="",
        changes={"origin_council": dossier.origin_council_id} if dossier.origin_council_id else {},
    )
    return dossier


@transaction.atomic
def dossier_update_form(*, actor, dossier: Dossier | int, form_data: dict) -> Dossier:
    """The applicant edits the form of a draft, or of a dossier waiting for pieces."""
    dossier = _lock(dossier)
    _check_actor(Actor.APPLICANT, actor, dossier)
    if dossier.state not in (DossierState.DRAFT, DossierState.INCOMPLETE):
        raise TransitionNotAllowed(_("Le formulaire ne peut plus être modifié."))
    changed = sorted(
        k for k in {*dossier.form_data, *form_data} if dossier.form_data.get(k) != form_data.get(k)
    )
    dossier.form_data = form_data
    _save(dossier, ["form_data"])
    # Field names only: the values are personal data and stay out of the trail.
    _record("update_form", actor, dossier, from_state=dossier.state, changes={"fields": changed})
    return dossier


@transaction.atomic
def dossier_add_piece(*, actor, dossier: Dossier | int, code: str, document) -> Piece:
    """Attach an uploaded document as piece `code` (applicant while editable, or a clerk)."""
    dossier = _lock(dossier)
    is_clerk = permissions.is_clerk_of(actor, dossier.council_id)
    if not is_clerk:
        _check_actor(Actor.APPLICANT, actor, dossier)
        if dossier.state not in (DossierState.DRAFT, DossierState.INCOMPLETE):
            raise TransitionNotAllowed(_("Les pièces ne peuvent plus être modifiées."))
    elif dossier.state not in (
        DossierState.DRAFT,
        DossierState.SUBMITTED,
        DossierState.INCOMPLETE,
        DossierState.UNDER_REVIEW,
    ):
        raise TransitionNotAllowed(_("Les pièces ne peuvent plus être modifiées."))
    if get_kind(dossier.kind).piece(code) is None:
        raise DossierError(_("Pièce inconnue pour cette démarche."))
    _lock_documents([document])
    piece = Piece.objects.create(dossier=dossier, code=code, document=document, added_by=actor)
    _save(dossier, [])
    _record(
        "add_piece",
        actor,
        dossier,
        from_state=dossier.state,
        changes={"piece": code, "document": str(document.pk)},
    )
    return piece


@transaction.atomic
def dossier_remove_piece(*, actor, piece: Piece | int) -> Piece:
    piece_id = piece.pk if isinstance(piece, Piece) else piece
    dossier = _lock(Piece.objects.values_list("dossier_id", flat=True).get(pk=piece_id))
    _check_actor(Actor.APPLICANT, actor, dossier)
    if dossier.state not in (DossierState.DRAFT, DossierState.INCOMPLETE):
        raise TransitionNotAllowed(_("Les pièces ne peuvent plus être modifiées."))
    piece = Piece.objects.get(pk=piece_id, removed_at__isnull=True)
    piece.removed_at = timezone.now()
    piece.save(update_fields=["removed_at"])
    _record("remove_piece", actor, dossier, from_state=dossier.state, changes={"piece": piece.code})
    return piece


# --- transitions -----------------------------------------------------------------------


@transaction.atomic
def dossier_submit(*, actor, dossier: Dossier | int) -> Dossier:
    dossier = _lock(dossier)
    _check("submit", actor, dossier)
    _check_complete_file(dossier)
    before = dossier.state
    dossier.state = DossierState.SUBMITTED
    dossier.submitted_at = timezone.now()
    _save(dossier, ["state", "submitted_at"])
    _record("submit", actor, dossier, from_state=before)
    _notify(dossier.applicant, "procedures/dossier_submitted", dossier)
    return dossier


@transaction.atomic
def dossier_request_pieces(
    *, actor, dossier: Dossier | int, codes: list[str], comment: str = ""
) -> PieceRequest:
    """Send the dossier back to its applicant, waiting for pieces (stops the legal clock)."""
    dossier = _lock(dossier)
    _check("request_pieces", actor, dossier)
    kind = get_kind(dossier.kind)
    unknown = [c for c in codes if kind.piece(c) is None]
    if unknown or not (codes or comment.strip()):
        raise DossierError(_("Indiquez les pièces demandées (parmi celles de la démarche)."))
    before = dossier.state
    request = PieceRequest.objects.create(
        dossier=dossier, codes=list(codes), comment=comment or None, requested_by=actor
    )
    dossier.state = DossierState.INCOMPLETE
    # The dossier is no longer complete: the clock restarts when it is declared complete again.
    dossier.completed_at = None
    dossier.deadline = None
    _save(dossier, ["state", "completed_at", "deadline"])
    _record(
        "request_pieces",
        actor,
        dossier,
        from_state=before,
        comment=comment,
        changes={"pieces": list(codes)},
    )
    _notify(
        dossier.applicant,
        "procedures/pieces_requested",
        dossier,
        pieces=[str(kind.piece(c).label) for c in codes],
    )
    return request


@transaction.atomic
def dossier_resubmit(*, actor, dossier: Dossier | int, comment: str = "") -> Dossier:
    """The applicant sends back a dossier once the requested pieces are given."""
    dossier = _lock(dossier)
    _check("resubmit", actor, dossier)
    _check_complete_file(dossier)
    open_requests = list(dossier.piece_requests.filter(answered_at__isnull=True))
    missing = sorted(
        {
            code
            for request in open_requests
            for code in request.codes
            if not dossier.pieces.filter(
                code=code, removed_at__isnull=True, added_at__gt=request.requested_at
            ).exists()
        }
    )
    if missing:
        kind = get_kind(dossier.kind)
        labels = ", ".join(str(kind.piece(c).label) for c in missing)
        raise MissingPieces(
            _("Ajoutez d’abord les pièces demandées : %(pieces)s.") % {"pieces": labels}, missing
        )
    now = timezone.now()
    PieceRequest.objects.filter(pk__in=[r.pk for r in open_requests]).update(answered_at=now)
    before = dossier.state
    dossier.state = DossierState.SUBMITTED
    _save(dossier, ["state"])
    _record("resubmit", actor, dossier, from_state=before, comment=comment)
    _notify(dossier.assigned_clerk, "procedures/dossier_resubmitted", dossier, for_clerk=True)
    return dossier


@transaction.atomic
def dossier_start_review(*, actor, dossier: Dossier | int) -> Dossier:
    dossier = _lock(dossier)
    _check("start_review", actor, dossier)
    before = dossier.state
    dossier.state = DossierState.UNDER_REVIEW
    if dossier.assigned_clerk_id is None:
        dossier.assigned_clerk = actor
    _save(dossier, ["state", "assigned_clerk"])
    _record("start_review", actor, dossier, from_state=before)
    _notify(dossier.applicant, "procedures/review_started", dossier)
    return dossier


@transaction.atomic
def dossier_mark_complete(*, actor, dossier: Dossier | int) -> Dossier:
    """Declare the dossier complete: the legal clock starts (silence means refusal)."""
    dossier = _lock(dossier)
    _check("mark_complete", actor, dossier)
    if dossier.completed_at is not None:
        raise TransitionNotAllowed(_("Ce dossier a déjà été déclaré complet."))
    now = timezone.now()
    months = get_kind(dossier.kind).months_for(dossier)
    dossier.completed_at = now
    dossier.deadline = now + relativedelta(months=months)
    _save(dossier, ["completed_at", "deadline"])
    _record(
        "mark_complete",
        actor,
        dossier,
        from_state=dossier.state,
        changes={"deadline": dossier.deadline.isoformat(), "months": months},
    )
    _notify(
        dossier.applicant,
        "procedures/dossier_complete",
        dossier,
        deadline=dossier.deadline.isoformat(),
        months=months,
    )
    return dossier


@transaction.atomic
def dossier_assign(*, actor, dossier: Dossier | int, clerk=_UNSET, rapporteur=_UNSET) -> Dossier:
    """Assign the dossier to a clerk and/or a rapporteur of its council (None unassigns)."""
    dossier = _lock(dossier)
    _check("assign", actor, dossier)
    changes, fields = {}, []
    if clerk is not _UNSET:
        if clerk is not None and not permissions.is_clerk_of(clerk, dossier.council_id):
            raise DossierError(_("Cet instructeur n’appartient pas au conseil du dossier."))
        changes["assigned_clerk"] = [dossier.assigned_clerk_id, getattr(clerk, "pk", None)]
        dossier.assigned_clerk = clerk
        fields.append("assigned_clerk")
    if rapporteur is not _UNSET:
        if rapporteur is not None and not permissions.is_member_of(rapporteur, dossier.council_id):
            raise DossierError(_("Ce rapporteur n’appartient pas au conseil du dossier."))
        changes["rapporteur"] = [dossier.rapporteur_id, getattr(rapporteur, "pk", None)]
        dossier.rapporteur = rapporteur
        fields.append("rapporteur")
    if not fields:
        raise DossierError(_("Indiquez l’instructeur ou le rapporteur."))
    _save(dossier, fields)
    _record("assign", actor, dossier, from_state=dossier.state, changes=changes)
    if clerk is not _UNSET and clerk is not None and clerk != actor:
        _notify(clerk, "procedures/dossier_assigned", dossier, for_clerk=True)
    if rapporteur is not _UNSET and rapporteur is not None and rapporteur != actor:
        _notify(rapporteur, "procedures/dossier_assigned", dossier, for_clerk=True)
    return dossier


def _decide(dossier: Dossier, decision: str, now) -> None:
    dossier.decision = decision
    dossier.decided_at = now
    dossier.appeal_deadline = now + relativedelta(days=APPEAL_DAYS)


@transaction.atomic
def dossier_accept(*, actor, dossier: Dossier | int, comment: str = "") -> Dossier:
    """Accept the dossier; the kind's `on_accept` hook changes the register in the same
    transaction (if it fails, nothing is accepted)."""
    dossier = _lock(dossier)
    _check("accept", actor, dossier)
    before = dossier.state
    dossier.state = DossierState.ACCEPTED
    _decide(dossier, Decision.ACCEPTED, timezone.now())
    _save(dossier, ["state", "decision", "decided_at", "appeal_deadline"])
    _record("accept", actor, dossier, from_state=before, comment=comment)
    hook = get_kind(dossier.kind).on_accept
    if hook is not None:
        hook(dossier, actor)
    _notify(dossier.applicant, "procedures/dossier_accepted", dossier)
    return dossier


@transaction.atomic
def dossier_refuse(*, actor, dossier: Dossier | int, reasons: str) -> Dossier:
    """Refuse the dossier. The reasons are mandatory and told to the applicant."""
    dossier = _lock(dossier)
    _check("refuse", actor, dossier)
    if not (reasons or "").strip():
        raise DossierError(_("Un refus doit être motivé."))
    before = dossier.state
    dossier.state = DossierState.REFUSED
    dossier.refusal_reasons = reasons.strip()
    _decide(dossier, Decision.REFUSED, timezone.now())
    _save(dossier, ["state", "refusal_reasons", "decision", "decided_at", "appeal_deadline"])
    # The reasons may hold personal facts: they stay in the dossier, not in the trail.
    _record("refuse", actor, dossier, from_state=before)
    _notify(
        dossier.applicant,
        "procedures/dossier_refused",
        dossier,
        appeal_deadline=dossier.appeal_deadline.isoformat(),
    )
    return dossier


@transaction.atomic
def dossier_refuse_implicitly(*, actor: SystemActor, dossier: Dossier | int, now=None) -> Dossier:
    """Silence means refusal: an overdue complete dossier becomes an implicit refusal."""
    dossier = _lock(dossier)
    _check("refuse_implicitly", actor, dossier)
    now = now or timezone.now()
    if dossier.deadline is None or dossier.deadline >= now:
        raise TransitionNotAllowed(_("La date limite de décision n’est pas dépassée."))
    before = dossier.state
    dossier.state = DossierState.IMPLICITLY_REFUSED
    dossier.decision = Decision.IMPLICIT_REFUSAL
    dossier.decided_at = dossier.deadline
    # The appeal window opens when the applicant is told.
    dossier.appeal_deadline = now + relativedelta(days=APPEAL_DAYS)
    _save(dossier, ["state", "decision", "decided_at", "appeal_deadline"])
    _record("refuse_implicitly", actor, dossier, from_state=before)
    _notify(
        dossier.applicant,
        "procedures/dossier_implicitly_refused",
        dossier,
        appeal_deadline=dossier.appeal_deadline.isoformat(),
    )
    return dossier


@transaction.atomic
def dossier_withdraw(*, actor, dossier: Dossier | int, comment: str = "") -> Dossier:
    dossier = _lock(dossier)
    _check("withdraw", actor, dossier)
    before = dossier.state
    dossier.state = DossierState.WITHDRAWN
    _save(dossier, ["state"])
    _record("withdraw", actor, dossier, from_state=before, comment=comment)
    _notify(dossier.assigned_clerk, "procedures/dossier_withdrawn", dossier, for_clerk=True)
    return dossier


@transaction.atomic
def dossier_reopen(*, actor, dossier: Dossier | int, comment: str) -> Dossier:
    """A clerk reopens a refused or withdrawn dossier (reason mandatory). The decision is
    cleared and the clock stopped: declare the dossier complete again to restart it."""
    dossier = _lock(dossier)
    _check("reopen", actor, dossier)
    if not (comment or "").strip():
        raise DossierError(_("Indiquez pourquoi le dossier est rouvert."))
    before = dossier.state
    dossier.state = DossierState.UNDER_REVIEW
    dossier.decision = ""
    dossier.decided_at = None
    dossier.appeal_deadline = None
    dossier.refusal_reasons = None
    dossier.completed_at = None
    dossier.deadline = None
    _save(
        dossier,
        [
            "state",
            "decision",
            "decided_at",
            "appeal_deadline",
            "refusal_reasons",
            "completed_at",
            "deadline",
        ],
    )
    _record("reopen", actor, dossier, from_state=before, comment=comment)
    _notify(dossier.applicant, "procedures/dossier_reopened", dossier)
    return dossier


# --- messages and notes ----------------------------------------------------------------


@transaction.atomic
def dossier_post_message(*, actor, dossier: Dossier | int, body: str, attachments=()) -> Message:
    """A message of the thread, by the applicant or a clerk of the council."""
    dossier = _lock(dossier)
    from_clerk = permissions.is_clerk_of(actor, dossier.council_id)
    if not from_clerk:
        _check_actor(Actor.APPLICANT, actor, dossier)
    if dossier.state == DossierState.DRAFT:
        raise TransitionNotAllowed(_("Déposez le dossier avant d’écrire au conseil."))
    if not (body or "").strip():
        raise DossierError(_("Le message est vide."))
    _lock_documents(attachments)
    message = Message.objects.create(
        dossier=dossier, author=actor, from_clerk=from_clerk, body=body
    )
    if attachments:
        message.attachments.set(attachments)
    _record(
        "post_message",
        actor,
        dossier,
        from_state=dossier.state,
        changes={"message": message.pk, "attachments": len(attachments)},
    )
    if from_clerk:
        _notify(dossier.applicant, "procedures/new_message", dossier)
    else:
        _notify(dossier.assigned_clerk, "procedures/new_message", dossier, for_clerk=True)
    return message


@transaction.atomic
def dossier_add_private_note(*, actor, dossier: Dossier | int, body: str) -> PrivateNote:
    """A note between the council's clerks, never shown to the applicant."""
    dossier = _lock(dossier)
    _check_actor(Actor.CLERK, actor, dossier)
    if not (body or "").strip():
        raise DossierError(_("La note est vide."))
    note = PrivateNote.objects.create(dossier=dossier, author=actor, body=body)
    record_event(
        actor=actor,
        action="procedures.note.add",
        target=note,
        subject=f"dossier:{dossier.pk}",
    )
    return note


# --- the legal clock -------------------------------------------------------------------


def refuse_overdue_dossiers(*, actor: SystemActor, now=None) -> int:
    """Turn every overdue dossier into an implicit refusal, one transaction each.

    Idempotent: a dossier already decided, or no longer overdue once locked, is skipped.
    """
    now = now or timezone.now()
    done = 0
    for pk in Dossier.objects.overdue(now).order_by("deadline").values_list("pk", flat=True):
        try:
            dossier_refuse_implicitly(actor=actor, dossier=pk, now=now)
        except TransitionNotAllowed:
            continue
        done += 1
    return done
