"""Every transition of the dossier engine, its refusals, its history and its audit."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from ordre.audit.actors import SystemActor
from ordre.audit.models import AuditEvent
from ordre.notifications.models import InboxMessage
from ordre.procedures import services
from ordre.procedures.enums import DossierState
from ordre.procedures.models import Dossier, DossierEvent
from ordre.procedures.workflow import TRANSITIONS, Actor, allowed_verbs
from tests.procedures import factories

pytestmark = pytest.mark.django_db

SYSTEM = SystemActor("task:test")


def audit_actions(dossier) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="procedures.dossier", target_id=str(dossier.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_create_makes_an_audited_draft(applicant):
    dossier = services.dossier_create(actor=applicant, kind=factories.TEST_KIND, council="75")
    assert dossier.state == DossierState.DRAFT
    assert audit_actions(dossier) == ["procedures.dossier.create"]
    assert (
        AuditEvent.objects.get(action="procedures.dossier.create").subject
        == f"dossier:{dossier.pk}"
    )


def test_submit_needs_the_required_pieces(applicant):
    dossier = services.dossier_create(actor=applicant, kind=factories.TEST_KIND, council="75")
    with pytest.raises(services.MissingPieces) as error:
        services.dossier_submit(actor=applicant, dossier=dossier)
    assert error.value.codes == ["identity"]
    assert "Pièce d’identité" in str(error.value)
    services.dossier_add_piece(
        actor=applicant,
        dossier=dossier,
        code="identity",
        document=factories.make_document(applicant),
    )
    dossier = services.dossier_submit(actor=applicant, dossier=dossier)
    assert dossier.state == DossierState.SUBMITTED and dossier.submitted_at is not None
    assert audit_actions(dossier)[-1] == "procedures.dossier.submit"
    event = dossier.events.last()
    assert (event.verb, event.from_state, event.to_state, event.actor) == (
        "submit",
        "draft",
        "submitted",
        applicant,
    )
    assert InboxMessage.objects.filter(
        recipient=applicant, template="procedures/dossier_submitted"
    ).exists()


def test_only_the_applicant_submits(make_dossier, clerk):
    dossier = make_dossier("draft")
    services.dossier_add_piece(
        actor=dossier.applicant,
        dossier=dossier,
        code="identity",
        document=factories.make_document(dossier.applicant),
    )
    for intruder in (factories.make_applicant(), clerk):
        with pytest.raises(services.DossierPermissionDenied):
            services.dossier_submit(actor=intruder, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT


def test_request_pieces_then_resubmit(make_dossier, clerk, other_clerk):
    dossier = make_dossier("submitted")
    with pytest.raises(services.DossierPermissionDenied):
        services.dossier_request_pieces(actor=other_clerk, dossier=dossier, codes=["other"])
    with pytest.raises(services.DossierError):
        services.dossier_request_pieces(actor=clerk, dossier=dossier, codes=["unknown"])
    request = services.dossier_request_pieces(
        actor=clerk, dossier=dossier, codes=["other"], comment="Merci d’ajouter le document."
    )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.INCOMPLETE
    assert dossier.get_state_display() == "En attente de pièces"
    assert InboxMessage.objects.filter(
        recipient=dossier.applicant, template="procedures/pieces_requested"
    ).exists()
    # Resubmitting without the requested piece is refused.
    with pytest.raises(services.MissingPieces) as error:
        services.dossier_resubmit(actor=dossier.applicant, dossier=dossier)
    assert error.value.codes == ["other"]
    services.dossier_add_piece(
        actor=dossier.applicant,
        dossier=dossier,
        code="other",
        document=factories.make_document(dossier.applicant),
    )
    dossier = services.dossier_resubmit(actor=dossier.applicant, dossier=dossier)
    assert dossier.state == DossierState.SUBMITTED
    request.refresh_from_db()
    assert request.answered_at is not None
    assert audit_actions(dossier)[-3:] == [
        "procedures.dossier.request_pieces",
        "procedures.dossier.add_piece",
        "procedures.dossier.resubmit",
    ]


def test_start_review_assigns_the_clerk(make_dossier, clerk):
    dossier = make_dossier("submitted")
    dossier = services.dossier_start_review(actor=clerk, dossier=dossier)
    assert dossier.state == DossierState.UNDER_REVIEW
    assert dossier.assigned_clerk == clerk


def test_mark_complete_starts_the_legal_clock_once(make_dossier, clerk):
    dossier = make_dossier("under_review", clerk=clerk)
    before = timezone.now()
    dossier = services.dossier_mark_complete(actor=clerk, dossier=dossier)
    assert dossier.completed_at >= before
    assert dossier.deadline == dossier.completed_at + relativedelta(months=2)
    assert dossier.state == DossierState.UNDER_REVIEW
    with pytest.raises(services.TransitionNotAllowed):
        services.dossier_mark_complete(actor=clerk, dossier=dossier)
    # A request for pieces stops the clock.
    services.dossier_request_pieces(actor=clerk, dossier=dossier, codes=["other"])
    dossier.refresh_from_db()
    assert dossier.deadline is None and dossier.completed_at is None


def test_accept_runs_the_kind_hook_in_the_same_transaction(make_dossier, clerk):
    dossier = make_dossier("under_review", clerk=clerk)
    dossier = services.dossier_accept(actor=clerk, dossier=dossier)
    assert dossier.state == DossierState.ACCEPTED
    assert dossier.decision == "accepted" and dossier.decided_at is not None
    assert dossier.appeal_deadline == dossier.decided_at + relativedelta(days=30)
    assert [(dossier.pk, clerk.pk)] == factories.ACCEPTED
    assert InboxMessage.objects.filter(template="procedures/dossier_accepted").count() == 1


def test_a_failing_hook_rolls_the_acceptance_back(make_dossier, clerk):
    dossier = make_dossier("under_review", clerk=clerk)
    # Test setup: form_data is encrypted, so write it the way the model does.
    dossier.form_data = {"explode": True}
    dossier.save(update_fields=["form_data"])
    count = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        services.dossier_accept(actor=clerk, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.UNDER_REVIEW
    assert AuditEvent.objects.count() == count


def test_refusal_needs_reasons(make_dossier, clerk):
    dossier = make_dossier("under_review", clerk=clerk)
    with pytest.raises(services.DossierError):
        services.dossier_refuse(actor=clerk, dossier=dossier, reasons="   ")
    dossier = services.dossier_refuse(actor=clerk, dossier=dossier, reasons="Diplôme non reconnu.")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.REFUSED
    assert dossier.refusal_reasons == "Diplôme non reconnu."
    # The reasons are not in the trail.
    event = AuditEvent.objects.get(action="procedures.dossier.refuse")
    assert "Diplôme" not in str(event.changes)


@pytest.mark.parametrize("state", ["draft", "submitted", "incomplete", "under_review"])
def test_the_applicant_withdraws_an_open_dossier(make_dossier, state):
    dossier = make_dossier(state)
    dossier = services.dossier_withdraw(actor=dossier.applicant, dossier=dossier)
    assert dossier.state == DossierState.WITHDRAWN
    assert audit_actions(dossier)[-1] == "procedures.dossier.withdraw"


@pytest.mark.parametrize("state", ["refused", "implicitly_refused", "withdrawn"])
def test_a_clerk_reopens_with_a_reason(make_dossier, clerk, state):
    dossier = make_dossier(state, clerk=clerk)
    with pytest.raises(services.DossierError):
        services.dossier_reopen(actor=clerk, dossier=dossier, comment="")
    dossier = services.dossier_reopen(actor=clerk, dossier=dossier, comment="Erreur matérielle.")
    assert dossier.state == DossierState.UNDER_REVIEW
    assert dossier.decision == "" and dossier.deadline is None and dossier.refusal_reasons is None
    assert dossier.events.last().comment == "Erreur matérielle."


def test_assign_only_within_the_council(make_dossier, clerk, other_clerk):
    dossier = make_dossier("submitted")
    colleague = factories.make_clerk("75")
    with pytest.raises(services.DossierError):
        services.dossier_assign(actor=clerk, dossier=dossier, clerk=other_clerk)
    with pytest.raises(services.DossierPermissionDenied):
        services.dossier_assign(actor=other_clerk, dossier=dossier, clerk=other_clerk)
    dossier = services.dossier_assign(
        actor=clerk, dossier=dossier, clerk=colleague, rapporteur=colleague
    )
    assert dossier.assigned_clerk == colleague and dossier.rapporteur == colleague
    event = AuditEvent.objects.filter(action="procedures.dossier.assign").get()
    assert event.changes["assigned_clerk"] == [None, colleague.pk]
    assert InboxMessage.objects.filter(
        recipient=colleague, template="procedures/dossier_assigned"
    ).exists()


def test_implicit_refusal_only_past_the_deadline(make_dossier, clerk):
    dossier = make_dossier("under_review", clerk=clerk)
    with pytest.raises(services.TransitionNotAllowed):  # no deadline yet
        services.dossier_refuse_implicitly(actor=SYSTEM, dossier=dossier)
    dossier = services.dossier_mark_complete(actor=clerk, dossier=dossier)
    with pytest.raises(services.TransitionNotAllowed):
        services.dossier_refuse_implicitly(actor=SYSTEM, dossier=dossier)
    with pytest.raises(services.DossierPermissionDenied):  # a person cannot do it
        services.dossier_refuse_implicitly(
            actor=clerk, dossier=dossier, now=dossier.deadline + timedelta(days=1)
        )
    now = dossier.deadline + timedelta(days=1)
    dossier = services.dossier_refuse_implicitly(actor=SYSTEM, dossier=dossier, now=now)
    assert dossier.state == DossierState.IMPLICITLY_REFUSED
    assert dossier.decision == "implicit_refusal"
    assert dossier.appeal_deadline == now + relativedelta(days=30)
    event = AuditEvent.objects.get(action="procedures.dossier.refuse_implicitly")
    assert event.actor_label == "task:test"


def test_refuse_overdue_is_idempotent(make_dossier, clerk):
    due = services.dossier_mark_complete(
        actor=clerk, dossier=make_dossier("under_review", clerk=clerk)
    )
    not_due = services.dossier_mark_complete(actor=clerk, dossier=make_dossier("submitted"))
    later = due.deadline + timedelta(minutes=1)
    Dossier.objects.filter(pk=not_due.pk).update(deadline=later + timedelta(days=1))
    assert services.refuse_overdue_dossiers(actor=SYSTEM, now=later) == 1
    assert services.refuse_overdue_dossiers(actor=SYSTEM, now=later) == 0
    due.refresh_from_db()
    not_due.refresh_from_db()
    assert due.state == DossierState.IMPLICITLY_REFUSED
    assert not_due.state == DossierState.SUBMITTED
    assert AuditEvent.objects.filter(action="procedures.dossier.refuse_implicitly").count() == 1
    assert (
        InboxMessage.objects.filter(
            recipient=due.applicant, template="procedures/dossier_implicitly_refused"
        ).count()
        == 1
    )


# --- every illegal transition is refused -----------------------------------------------

_ACTOR_FOR = {Actor.CLERK: "clerk", Actor.APPLICANT: "applicant", Actor.SYSTEM: "system"}
_CALLS = {
    "submit": lambda a, d: services.dossier_submit(actor=a, dossier=d),
    "request_pieces": lambda a, d: services.dossier_request_pieces(
        actor=a, dossier=d, codes=["other"]
    ),
    "resubmit": lambda a, d: services.dossier_resubmit(actor=a, dossier=d),
    "start_review": lambda a, d: services.dossier_start_review(actor=a, dossier=d),
    "mark_complete": lambda a, d: services.dossier_mark_complete(actor=a, dossier=d),
    "assign": lambda a, d: services.dossier_assign(actor=a, dossier=d, clerk=a),
    "accept": lambda a, d: services.dossier_accept(actor=a, dossier=d),
    "refuse": lambda a, d: services.dossier_refuse(actor=a, dossier=d, reasons="Motif."),
    "refuse_implicitly": lambda a, d: services.dossier_refuse_implicitly(
        actor=a, dossier=d, now=timezone.now() + timedelta(days=3650)
    ),
    "withdraw": lambda a, d: services.dossier_withdraw(actor=a, dossier=d),
    "reopen": lambda a, d: services.dossier_reopen(actor=a, dossier=d, comment="Motif."),
}

ILLEGAL = [
    (verb, state)
    for verb, transition in TRANSITIONS.items()
    for state in DossierState.values
    if state not in transition.sources
]


def test_every_transition_has_a_service():
    assert set(_CALLS) == set(TRANSITIONS)
    for verb in TRANSITIONS:
        assert callable(getattr(services, f"dossier_{verb}"))


@pytest.mark.parametrize(("verb", "state"), ILLEGAL)
def test_illegal_transitions_are_refused(make_dossier, clerk, verb, state):
    dossier = make_dossier("submitted")
    # Test setup: put the dossier in `state` directly (every path is covered above).
    dossier.state, dossier.deadline, dossier.refusal_reasons = state, timezone.now(), "Motif."
    dossier.save()
    actor = {"clerk": clerk, "applicant": dossier.applicant, "system": SYSTEM}[
        _ACTOR_FOR[TRANSITIONS[verb].actor]
    ]
    events = DossierEvent.objects.count()
    audits = AuditEvent.objects.count()
    with pytest.raises(services.TransitionNotAllowed):
        _CALLS[verb](actor, dossier)
    dossier.refresh_from_db()
    assert dossier.state == state
    assert (DossierEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)


@pytest.mark.parametrize("verb", sorted(TRANSITIONS))
def test_each_transition_writes_one_audit_event_and_one_history_row(make_dossier, clerk, verb):
    transition = TRANSITIONS[verb]
    start = sorted(transition.sources)[0]
    dossier = make_dossier(start if start != "implicitly_refused" else "refused", clerk=clerk)
    if verb == "refuse_implicitly":
        dossier = services.dossier_mark_complete(actor=clerk, dossier=dossier)
    if verb in ("resubmit", "submit"):
        services.dossier_add_piece(
            actor=dossier.applicant,
            dossier=dossier,
            code="other" if verb == "resubmit" else "identity",
            document=factories.make_document(dossier.applicant),
        )
    actor = {"clerk": clerk, "applicant": dossier.applicant, "system": SYSTEM}[
        _ACTOR_FOR[transition.actor]
    ]
    audits = AuditEvent.objects.filter(action=f"procedures.dossier.{verb}").count()
    history = dossier.events.count()
    result = _CALLS[verb](actor, dossier)
    assert AuditEvent.objects.filter(action=f"procedures.dossier.{verb}").count() == audits + 1
    assert dossier.events.count() == history + 1
    dossier.refresh_from_db()
    if transition.target is not None:
        assert dossier.state == transition.target
    assert result is not None


def test_allowed_verbs_drive_the_buttons():
    assert allowed_verbs("under_review", Actor.CLERK) == [
        "request_pieces",
        "mark_complete",
        "assign",
        "accept",
        "refuse",
    ]
    assert allowed_verbs("incomplete", Actor.APPLICANT) == ["resubmit", "withdraw"]


# --- messages, notes, pieces ------------------------------------------------------------


def test_messages_between_applicant_and_clerks(make_dossier, clerk, other_clerk):
    dossier = make_dossier("draft")
    with pytest.raises(services.TransitionNotAllowed):
        services.dossier_post_message(actor=dossier.applicant, dossier=dossier, body="Bonjour")
    dossier = make_dossier("submitted")
    services.dossier_assign(actor=clerk, dossier=dossier, clerk=clerk)
    attachment = factories.make_document(dossier.applicant)
    message = services.dossier_post_message(
        actor=dossier.applicant, dossier=dossier, body="Question", attachments=[attachment]
    )
    assert not message.from_clerk and list(message.attachments.all()) == [attachment]
    assert InboxMessage.objects.filter(recipient=clerk, template="procedures/new_message").exists()
    reply = services.dossier_post_message(actor=clerk, dossier=dossier, body="Réponse")
    assert reply.from_clerk
    with pytest.raises(services.DossierPermissionDenied):
        services.dossier_post_message(actor=other_clerk, dossier=dossier, body="Intrus")


def test_private_notes_are_for_the_councils_clerks_only(make_dossier, clerk, other_clerk):
    from ordre.procedures import selectors

    dossier = make_dossier("submitted")
    note = services.dossier_add_private_note(
        actor=clerk, dossier=dossier, body="Vérifier le diplôme"
    )
    for intruder in (dossier.applicant, other_clerk):
        with pytest.raises(services.DossierPermissionDenied):
            services.dossier_add_private_note(actor=intruder, dossier=dossier, body="x")
        assert list(selectors.dossier_private_notes(intruder, dossier)) == []
    assert list(selectors.dossier_private_notes(clerk, dossier)) == [note]
    assert AuditEvent.objects.filter(
        action="procedures.note.add", subject=f"dossier:{dossier.pk}"
    ).exists()


def test_pieces_are_frozen_once_submitted(make_dossier):
    dossier = make_dossier("submitted")
    with pytest.raises(services.TransitionNotAllowed):
        services.dossier_add_piece(
            actor=dossier.applicant,
            dossier=dossier,
            code="other",
            document=factories.make_document(dossier.applicant),
        )
    with pytest.raises(services.DossierError):
        services.dossier_create(actor=dossier.applicant, kind="no-such-kind", council="75")


def test_form_data_is_encrypted_at_rest(applicant):
    from django.db import connection

    dossier = services.dossier_create(
        actor=applicant, kind=factories.TEST_KIND, council="75", form_data={"birth_name": "Zorglub"}
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT form_data FROM procedures_dossier WHERE id = %s", [dossier.pk])
        raw = bytes(cursor.fetchone()[0])
    assert b"Zorglub" not in raw
    assert Dossier.objects.get(pk=dossier.pk).form_data == {"birth_name": "Zorglub"}


def test_a_rejected_document_does_not_count_as_a_piece(applicant):
    from ordre.documents.models import Document

    dossier = services.dossier_create(actor=applicant, kind=factories.TEST_KIND, council="75")
    document = factories.make_document(applicant)
    services.dossier_add_piece(actor=applicant, dossier=dossier, code="identity", document=document)
    Document.objects.filter(pk=document.pk).update(status="rejected", rejection_reason="Virus")
    with pytest.raises(services.MissingPieces):
        services.dossier_submit(actor=applicant, dossier=dossier)
