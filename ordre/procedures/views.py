"""Portal pages of the dossier engine: the clerk's queue and dossier page, the applicant's
dossiers. Thin: selectors to read (scoped), services to write."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ordre.accounts.roles import CLERK, user_has_role
from ordre.procedures import forms, permissions, selectors, services
from ordre.procedures.models import Dossier
from ordre.procedures.registry import get_kind, kind_choices, kinds
from ordre.procedures.workflow import Actor, allowed_verbs

QUEUE_PAGE_SIZE = 50


def clerk_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not user_has_role(request.user, CLERK):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _form_rows(dossier) -> list[tuple[str, object]]:
    """(label, value) of the dossier's form, in the order of the kind's form."""
    data = dossier.form_data or {}
    try:
        form_class = get_kind(dossier.kind).form_class
    except LookupError:
        form_class = None
    if form_class is None:
        return [(key, value) for key, value in data.items()]
    form = form_class()
    rows = []
    for name, field in form.fields.items():
        value = data.get(name, "")
        choices = dict(getattr(field, "choices", ()) or ())
        rows.append((field.label, choices.get(value, value) if choices else value))
    return rows


def _pieces_rows(dossier):
    try:
        specs = get_kind(dossier.kind).pieces
    except LookupError:
        specs = ()
    given = {}
    for piece in selectors.dossier_pieces(dossier):
        given.setdefault(piece.code, []).append(piece)
    return [(spec, given.get(spec.code, [])) for spec in specs], specs


def _run(request, call, success: str):
    """Run a service; turn business errors into a French message on the page."""
    try:
        call()
    except services.DossierError as error:
        messages.error(request, str(error))
        return False
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


# --- clerks ---------------------------------------------------------------------------


@clerk_required
def queue(request):
    form = forms.QueueFilterForm(request.GET or None, kind_choices=kind_choices())
    filters = form.filters()
    dossiers = selectors.dossiers_for_clerk(request.user, filters)
    page = Paginator(dossiers, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.dossier_counts_for_clerk(request.user, filters)
    query = request.GET.copy()
    query.pop("page", None)
    codes = permissions.clerk_council_codes(request.user)
    return render(
        request,
        "procedures/queue.html",
        {
            "form": form,
            "page_obj": page,
            "counts": counts,
            "query": query.urlencode(),
            "assignees": selectors.assignable_clerks(codes),
            "bulk_pieces": _kind_pieces(filters.get("kind")),
        },
    )


def _kind_pieces(kind: str | None):
    """The pieces of the kind the queue is filtered on (to request them in bulk)."""
    try:
        return get_kind(kind).pieces if kind else ()
    except LookupError:
        return ()


def _clerk_dossier(request, pk) -> Dossier:
    try:
        return selectors.dossier_for_clerk(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


@clerk_required
def clerk_dossier(request, pk: int):
    dossier = _clerk_dossier(request, pk)
    if not permissions.may_act_as_clerk(request.user, dossier):
        # The council the doctor leaves follows a transfer: state, form and history only.
        return render(
            request,
            "procedures/clerk_dossier.html",
            {
                "dossier": dossier,
                "read_only": True,
                "form_rows": _form_rows(dossier),
                "history": selectors.dossier_history(dossier),
                "verbs": [],
            },
        )
    pieces, specs = _pieces_rows(dossier)
    return render(
        request,
        "procedures/clerk_dossier.html",
        {
            "dossier": dossier,
            "read_only": False,
            "form_rows": _form_rows(dossier),
            "pieces": pieces,
            "history": selectors.dossier_history(dossier),
            "thread": selectors.dossier_messages(dossier),
            "notes": selectors.dossier_private_notes(request.user, dossier),
            "verbs": allowed_verbs(dossier.state, Actor.CLERK),
            "request_form": forms.RequestPiecesForm(pieces=specs),
            "refuse_form": forms.RefuseForm(),
            "comment_form": forms.CommentForm(),
            "message_form": forms.MessageForm(),
            "note_form": forms.NoteForm(),
            "assign_form": forms.AssignForm(
                council_code=dossier.council_id,
                initial={"clerk": dossier.assigned_clerk_id, "rapporteur": dossier.rapporteur_id},
            ),
        },
    )


@require_POST
@clerk_required
def clerk_action(request, pk: int, verb: str):
    dossier = _clerk_dossier(request, pk)
    if not permissions.may_act_as_clerk(request.user, dossier):
        raise PermissionDenied  # seen from the council the doctor leaves: read-only
    user, post = request.user, request.POST
    comment = post.get("comment", "")
    calls = {
        "start_review": lambda: services.dossier_start_review(actor=user, dossier=dossier),
        "mark_complete": lambda: services.dossier_mark_complete(actor=user, dossier=dossier),
        "assign": lambda: _assign(request, dossier),
        "accept": lambda: services.dossier_accept(actor=user, dossier=dossier, comment=comment),
        "refuse": lambda: services.dossier_refuse(
            actor=user, dossier=dossier, reasons=post.get("reasons", "")
        ),
        "reopen": lambda: services.dossier_reopen(actor=user, dossier=dossier, comment=comment),
        "request_pieces": lambda: services.dossier_request_pieces(
            actor=user, dossier=dossier, codes=post.getlist("codes"), comment=comment
        ),
        "message": lambda: _post_message(request, dossier),
        "note": lambda: services.dossier_add_private_note(
            actor=user, dossier=dossier, body=post.get("body", "")
        ),
    }
    if verb not in calls:
        raise Http404
    _run(request, calls[verb], _("C’est fait."))
    return redirect("procedures:clerk_dossier", pk=dossier.pk)


def _assign(request, dossier):
    """Without a choice, "assign to me"; otherwise the clerk and/or rapporteur chosen among
    the members of the dossier's council (a field left out of the form is unchanged)."""
    post = request.POST
    given = [name for name in ("clerk", "rapporteur") if name in post]
    if not given:
        return services.dossier_assign(actor=request.user, dossier=dossier, clerk=request.user)
    form = forms.AssignForm(post, council_code=dossier.council_id)
    if not form.is_valid():
        raise services.DossierError(form.error_text())
    return services.dossier_assign(
        actor=request.user, dossier=dossier, **{name: form.cleaned_data[name] for name in given}
    )


def _post_message(request, dossier):
    attachments = []
    upload = request.FILES.get("attachment")
    if upload:
        from ordre.documents.services import upload_document

        attachments.append(
            upload_document(
                actor=request.user,
                file=upload,
                purpose="procedures.message",
                subject=f"dossier:{dossier.pk}",
            )
        )
    services.dossier_post_message(
        actor=request.user,
        dossier=dossier,
        body=request.POST.get("body", ""),
        attachments=attachments,
    )


@clerk_required
def queue_export(request, fmt: str):
    """The filtered queue as CSV or XLSX (audited: who exported how many dossiers)."""
    from ordre.audit.services import record_event
    from ordre.procedures import exports

    form = forms.QueueFilterForm(request.GET or None, kind_choices=kind_choices())
    dossiers = selectors.dossiers_for_clerk(request.user, form.filters())
    if fmt == "csv":
        content, mime = exports.to_csv(dossiers), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content = exports.to_xlsx(dossiers)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    with transaction.atomic():
        record_event(
            actor=request.user,
            action="procedures.queue.exported",
            target_type="procedures.dossier",
            changes={"format": fmt, "filters": {k: str(v) for k, v in form.filters().items() if v}},
        )
    response = HttpResponse(content, content_type=mime)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="dossiers-{stamp}.{fmt}"'
    return response


BULK_ACTIONS = {
    "assign_to_me": lambda user, pk, data: services.dossier_assign(
        actor=user, dossier=pk, clerk=user
    ),
    "assign": lambda user, pk, data: services.dossier_assign(
        actor=user, dossier=pk, clerk=data["assignee"]
    ),
    "start_review": lambda user, pk, data: services.dossier_start_review(actor=user, dossier=pk),
    "mark_complete": lambda user, pk, data: services.dossier_mark_complete(actor=user, dossier=pk),
    "message": lambda user, pk, data: services.dossier_post_message(
        actor=user, dossier=pk, body=data["text"]
    ),
    "request_pieces": lambda user, pk, data: services.dossier_request_pieces(
        actor=user, dossier=pk, codes=data["codes"], comment=data["text"]
    ),
    "accept": lambda user, pk, data: services.dossier_accept(
        actor=user, dossier=pk, comment=data["text"]
    ),
    "refuse": lambda user, pk, data: services.dossier_refuse(
        actor=user, dossier=pk, reasons=data["text"]
    ),
}

#: How many refusals the summary message details (the others are counted).
BULK_DETAILS = 20


def _bulk_data(request) -> dict:
    post = request.POST
    assignee = None
    if post.get("assignee", "").isdigit():
        codes = permissions.clerk_council_codes(request.user)
        assignee = selectors.assignable_clerks(codes).filter(pk=int(post["assignee"])).first()
    return {"text": post.get("text", ""), "codes": post.getlist("codes"), "assignee": assignee}


@require_POST
@clerk_required
def queue_bulk(request):
    """Apply one action to the selected dossiers (within the clerk's scope), one
    transaction per dossier; the others go on when one is refused."""
    action = request.POST.get("action", "")
    if action not in BULK_ACTIONS:
        raise Http404
    data = _bulk_data(request)
    if action == "assign" and data["assignee"] is None:
        messages.error(request, _("Choisissez un instructeur de votre conseil."))
        return redirect("procedures:queue")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    reachable = selectors.dossiers_for_clerk(request.user).filter(pk__in=ids)
    done, refusals = 0, []
    for pk in reachable.values_list("pk", flat=True):
        try:
            BULK_ACTIONS[action](request.user, pk, data)
        except (services.DossierError, services.DossierPermissionDenied) as error:
            refusals.append((Dossier(pk=pk).reference, str(error)))
        else:
            done += 1
    summary = _("%(done)d dossier(s) traité(s), %(refused)d refusé(s).") % {
        "done": done,
        "refused": len(refusals),
    }
    if refusals:
        details = " ; ".join(f"{ref} : {why}" for ref, why in refusals[:BULK_DETAILS])
        if len(refusals) > BULK_DETAILS:
            details += " ; …"
        messages.warning(request, f"{summary} {details}")
    else:
        messages.info(request, summary)
    return redirect("procedures:queue")


# --- applicants -----------------------------------------------------------------------


@login_required
def my_dossiers(request):
    return render(
        request,
        "procedures/my_dossiers.html",
        {
            "dossiers": selectors.dossiers_for_applicant(request.user),
            # Only the procedures this user may start (a registration for the unregistered…).
            "kinds": [k for k in kinds() if k.can_apply is None or k.can_apply(request.user)],
        },
    )


def _my_dossier(request, pk) -> Dossier:
    try:
        return selectors.dossier_for_applicant(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


@login_required
def new_dossier(request, kind: str):
    try:
        procedure = get_kind(kind)
    except LookupError:
        raise Http404 from None
    form_class = procedure.form_class
    council_form = forms.NewDossierForm(request.POST or None, prefix="c")
    detail = form_class(request.POST or None) if form_class else None
    if (
        request.method == "POST"
        and council_form.is_valid()
        and (detail is None or detail.is_valid())
    ):
        data = {}
        if detail is not None:
            data = detail.form_data() if hasattr(detail, "form_data") else detail.cleaned_data
        try:
            dossier = services.dossier_create(
                actor=request.user,
                kind=kind,
                council=council_form.cleaned_data["council"],
                form_data=data,
            )
        except (services.DossierError, PermissionDenied) as error:
            messages.error(
                request, str(error) or _("Vous ne pouvez pas déposer ce type de dossier.")
            )
        else:
            messages.success(request, _("Brouillon enregistré : ajoutez maintenant les pièces."))
            return redirect("procedures:my_dossier", pk=dossier.pk)
    return render(
        request,
        "procedures/new_dossier.html",
        {"procedure": procedure, "council_form": council_form, "form": detail},
    )


@login_required
def edit_form(request, pk: int):
    """The applicant edits the form of a draft or of a dossier waiting for pieces."""
    dossier = _my_dossier(request, pk)
    form_class = get_kind(dossier.kind).form_class
    if form_class is None or dossier.state not in ("draft", "incomplete"):
        raise Http404
    form = form_class(request.POST or None, initial=dossier.form_data)
    if request.method == "POST" and form.is_valid():
        data = form.form_data() if hasattr(form, "form_data") else form.cleaned_data
        if _run(
            request,
            lambda: services.dossier_update_form(
                actor=request.user, dossier=dossier, form_data=data
            ),
            _("Formulaire enregistré."),
        ):
            return redirect("procedures:my_dossier", pk=dossier.pk)
    return render(request, "procedures/edit_form.html", {"dossier": dossier, "form": form})


@login_required
def my_dossier(request, pk: int):
    dossier = _my_dossier(request, pk)
    pieces, specs = _pieces_rows(dossier)
    return render(
        request,
        "procedures/my_dossier.html",
        {
            "dossier": dossier,
            "form_rows": _form_rows(dossier),
            "pieces": pieces,
            "piece_requests": selectors.open_piece_requests(dossier),
            "history": selectors.dossier_history(dossier),
            "thread": selectors.dossier_messages(dossier),
            "verbs": allowed_verbs(dossier.state, Actor.APPLICANT),
            "editable": dossier.state in ("draft", "incomplete"),
            "upload_form": forms.PieceUploadForm(pieces=specs),
            "message_form": forms.MessageForm(),
        },
    )


@require_POST
@login_required
def my_action(request, pk: int, verb: str):
    dossier = _my_dossier(request, pk)
    user = request.user
    calls = {
        "submit": lambda: services.dossier_submit(actor=user, dossier=dossier),
        "resubmit": lambda: services.dossier_resubmit(actor=user, dossier=dossier),
        "withdraw": lambda: services.dossier_withdraw(actor=user, dossier=dossier),
        "piece": lambda: _add_piece(request, dossier),
        "message": lambda: _post_message(request, dossier),
    }
    if verb not in calls:
        raise Http404
    _run(request, calls[verb], _("C’est fait."))
    return redirect(reverse("procedures:my_dossier", kwargs={"pk": dossier.pk}))


def _add_piece(request, dossier):
    from ordre.documents.services import upload_document

    upload = request.FILES.get("file")
    if upload is None:
        raise services.DossierError(_("Choisissez un fichier."))
    document = upload_document(
        actor=request.user, file=upload, purpose="procedures.piece", subject=f"dossier:{dossier.pk}"
    )
    services.dossier_add_piece(
        actor=request.user, dossier=dossier, code=request.POST.get("code", ""), document=document
    )
