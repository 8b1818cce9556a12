"""REST endpoints of the dossier engine, for people (session + second factor); the same
scoping as the pages: a dossier out of scope answers 404."""

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from ordre.accounts.roles import CLERK, user_has_role
from ordre.procedures import permissions, selectors, services
from ordre.procedures.api.serializers import (
    ActionSerializer,
    AssigneesSerializer,
    DossierCreateSerializer,
    DossierDetailSerializer,
    DossierSerializer,
    FollowedDossierSerializer,
    MessagePostSerializer,
    MessageSerializer,
    NotePostSerializer,
    NoteSerializer,
    PieceSerializer,
    PieceUploadSerializer,
)
from ordre.procedures.models import Dossier


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Action impossible dans l’état actuel du dossier."
    default_code = "conflict"


def _detail(dossier: Dossier) -> Dossier:
    dossier.live_pieces = list(selectors.dossier_pieces(dossier))
    return dossier


class _ClerkMixin:
    def check_permissions(self, request):
        super().check_permissions(request)
        if not user_has_role(request.user, CLERK):
            raise PermissionDenied


class MyDossierList(generics.ListAPIView):
    serializer_class = DossierSerializer

    def get_queryset(self):
        return selectors.dossiers_for_applicant(self.request.user)

    @extend_schema(request=DossierCreateSerializer, responses={201: DossierDetailSerializer})
    def post(self, request):
        """A new draft: the form data is checked by the procedure kind's form."""
        from rest_framework.exceptions import ValidationError

        from ordre.procedures.registry import get_kind

        body = DossierCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            form_class = get_kind(data["kind"]).form_class
        except LookupError:
            raise ValidationError({"kind": ["Démarche inconnue."]}) from None
        form_data = data["form_data"]
        if form_class is not None and form_data:
            form = form_class(data=form_data)
            if not form.is_valid():
                raise ValidationError({"form_data": form.errors})
            form_data = form.form_data() if hasattr(form, "form_data") else form.cleaned_data
        try:
            dossier = _run(
                lambda: services.dossier_create(
                    actor=request.user,
                    kind=data["kind"],
                    council=data["council"],
                    form_data=form_data,
                )
            )
        except Conflict as error:  # nothing to conflict with yet: the request is wrong
            raise ValidationError({"council": [str(error.detail)]}) from None
        return Response(DossierDetailSerializer(_detail(dossier)).data, status=201)


class MyDossierDetail(APIView):
    @extend_schema(responses=DossierDetailSerializer)
    def get(self, request, pk: int):
        try:
            dossier = selectors.dossier_for_applicant(request.user, pk)
        except Dossier.DoesNotExist:
            raise Http404 from None
        return Response(DossierDetailSerializer(_detail(dossier)).data)


class MyDossierPieces(APIView):
    @extend_schema(request=PieceUploadSerializer, responses={201: PieceSerializer})
    def post(self, request, pk: int):
        """Upload a file (PDF, JPEG, PNG; checked by content) as a piece of the dossier."""
        from django.core.exceptions import ValidationError as DjangoValidationError
        from rest_framework.exceptions import ValidationError

        from ordre.documents.services import upload_document

        try:
            dossier = selectors.dossier_for_applicant(request.user, pk)
        except Dossier.DoesNotExist:
            raise Http404 from None
        body = PieceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)

        def add():
            with transaction.atomic():
                document = upload_document(
                    actor=request.user,
                    file=body.validated_data["file"],
                    purpose="procedures.piece",
                    subject=f"dossier:{dossier.pk}",
                )
                return services.dossier_add_piece(
                    actor=request.user,
                    dossier=dossier,
                    code=body.validated_data["code"],
                    document=document,
                )

        try:
            piece = _run(add)
        except DjangoValidationError as error:
            raise ValidationError({"file": error.messages}) from None
        return Response(PieceSerializer(piece).data, status=201)


class ClerkDossierList(_ClerkMixin, generics.ListAPIView):
    serializer_class = DossierSerializer

    def get_queryset(self):
        params = self.request.query_params
        names = ("kind", "state", "assignee", "council", "direction", "q")
        filters = {k: params.get(k) for k in names}
        filters["overdue"] = params.get("overdue") in ("1", "true")
        return selectors.dossiers_for_clerk(self.request.user, filters)


class ClerkDossierDetail(_ClerkMixin, APIView):
    @extend_schema(responses=DossierDetailSerializer)
    def get(self, request, pk: int):
        """A dossier of my council; a transfer leaving my council is followed read-only
        (`FollowedDossierSerializer`: state, form, history)."""
        try:
            dossier = selectors.dossier_for_clerk(request.user, pk)
        except Dossier.DoesNotExist:
            raise Http404 from None
        if not permissions.may_act_as_clerk(request.user, dossier):
            dossier.history_events = list(selectors.dossier_history(dossier))
            return Response(FollowedDossierSerializer(dossier).data)
        return Response(DossierDetailSerializer(_detail(dossier)).data)


def _run(call):
    try:
        return call()
    except services.DossierPermissionDenied as error:
        raise PermissionDenied(str(error)) from None
    except services.DossierError as error:
        raise Conflict(str(error)) from None


_CLERK_ACTIONS = {
    "start_review": lambda u, d, a: services.dossier_start_review(actor=u, dossier=d),
    "mark_complete": lambda u, d, a: services.dossier_mark_complete(actor=u, dossier=d),
    "assign_to_me": lambda u, d, a: services.dossier_assign(actor=u, dossier=d, clerk=u),
    "request_pieces": lambda u, d, a: services.dossier_request_pieces(
        actor=u, dossier=d, codes=a["codes"], comment=a["comment"]
    ),
    "accept": lambda u, d, a: services.dossier_accept(actor=u, dossier=d, comment=a["comment"]),
    "refuse": lambda u, d, a: services.dossier_refuse(actor=u, dossier=d, reasons=a["reasons"]),
    "reopen": lambda u, d, a: services.dossier_reopen(actor=u, dossier=d, comment=a["comment"]),
}


def _assign(user, dossier, data):
    """Assign to a clerk and/or a rapporteur of the dossier's council (400 otherwise)."""
    from rest_framework.exceptions import ValidationError

    candidates = {
        "clerk": (
            selectors.assignable_clerks,
            "Cet instructeur n’appartient pas au conseil du dossier.",
        ),
        "rapporteur": (
            selectors.assignable_rapporteurs,
            "Ce rapporteur n’appartient pas au conseil du dossier.",
        ),
    }
    chosen = {}
    for name, (members, error) in candidates.items():
        if name not in data:
            continue
        if data[name] is None:
            chosen[name] = None
            continue
        chosen[name] = members(dossier.council_id).filter(pk=data[name]).first()
        if chosen[name] is None:
            raise ValidationError({name: [error]})
    if not chosen:
        raise ValidationError({"clerk": ["Indiquez l’instructeur ou le rapporteur."]})
    return services.dossier_assign(actor=user, dossier=dossier, **chosen)


_CLERK_ACTIONS["assign"] = _assign

_APPLICANT_ACTIONS = {
    "submit": lambda u, d, a: services.dossier_submit(actor=u, dossier=d),
    "resubmit": lambda u, d, a: services.dossier_resubmit(actor=u, dossier=d, comment=a["comment"]),
    "withdraw": lambda u, d, a: services.dossier_withdraw(actor=u, dossier=d, comment=a["comment"]),
}


class ClerkDossierAction(_ClerkMixin, APIView):
    @extend_schema(request=ActionSerializer, responses=DossierSerializer)
    def post(self, request, pk: int, verb: str):
        if verb not in _CLERK_ACTIONS:
            raise Http404
        try:
            dossier = selectors.dossier_for_clerk(request.user, pk)
        except Dossier.DoesNotExist:
            raise Http404 from None
        body = ActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _run(lambda: _CLERK_ACTIONS[verb](request.user, dossier, body.validated_data))
        dossier.refresh_from_db()
        return Response(DossierSerializer(dossier).data)


class MyDossierAction(APIView):
    @extend_schema(request=ActionSerializer, responses=DossierSerializer)
    def post(self, request, pk: int, verb: str):
        if verb not in _APPLICANT_ACTIONS:
            raise Http404
        try:
            dossier = selectors.dossier_for_applicant(request.user, pk)
        except Dossier.DoesNotExist:
            raise Http404 from None
        body = ActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _run(lambda: _APPLICANT_ACTIONS[verb](request.user, dossier, body.validated_data))
        dossier.refresh_from_db()
        return Response(DossierSerializer(dossier).data)


# --- message thread and private notes --------------------------------------------------


def _post_message(request, dossier) -> Response:
    from django.core.exceptions import ValidationError as DjangoValidationError
    from rest_framework.exceptions import ValidationError

    body = MessagePostSerializer(data=request.data)
    body.is_valid(raise_exception=True)

    def post():
        with transaction.atomic():
            attachments = []
            upload = body.validated_data.get("attachment")
            if upload is not None:
                from ordre.documents.services import upload_document

                attachments.append(
                    upload_document(
                        actor=request.user,
                        file=upload,
                        purpose="procedures.message",
                        subject=f"dossier:{dossier.pk}",
                    )
                )
            return services.dossier_post_message(
                actor=request.user,
                dossier=dossier,
                body=body.validated_data["body"],
                attachments=attachments,
            )

    try:
        message = _run(post)
    except DjangoValidationError as error:
        raise ValidationError({"attachment": error.messages}) from None
    return Response(MessageSerializer(message).data, status=201)


class MyDossierMessages(generics.ListAPIView):
    """The thread of one of my dossiers (GET), or a new message to the council (POST,
    JSON or multipart with an optional `attachment`)."""

    serializer_class = MessageSerializer

    def dossier(self) -> Dossier:
        try:
            return selectors.dossier_for_applicant(self.request.user, self.kwargs["pk"])
        except Dossier.DoesNotExist:
            raise Http404 from None

    def get_queryset(self):
        return selectors.dossier_messages(self.dossier())

    @extend_schema(request=MessagePostSerializer, responses={201: MessageSerializer})
    def post(self, request, pk: int):
        return _post_message(request, self.dossier())


class _ClerkOwnDossierMixin(_ClerkMixin):
    """A dossier of the clerk's own council: reachable otherwise is a 404, and seen only
    from the council a transfer leaves (read-only) a 403."""

    def dossier(self) -> Dossier:
        try:
            dossier = selectors.dossier_for_clerk(self.request.user, self.kwargs["pk"])
        except Dossier.DoesNotExist:
            raise Http404 from None
        if not permissions.may_act_as_clerk(self.request.user, dossier):
            raise PermissionDenied("Dossier suivi en lecture seule : il relève d’un autre conseil.")
        return dossier


class ClerkDossierAssignees(_ClerkOwnDossierMixin, APIView):
    """Who the dossier may be assigned to (ids for the `assign` action): the clerks and
    the members of its council."""

    @extend_schema(responses=AssigneesSerializer)
    def get(self, request, pk: int):
        dossier = self.dossier()
        data = {
            "clerks": selectors.assignable_clerks(dossier.council_id),
            "rapporteurs": selectors.assignable_rapporteurs(dossier.council_id),
        }
        return Response(AssigneesSerializer(data).data)


class ClerkDossierMessages(_ClerkOwnDossierMixin, generics.ListAPIView):
    """The thread of a dossier of my council (GET), or a message to its applicant (POST)."""

    serializer_class = MessageSerializer

    def get_queryset(self):
        return selectors.dossier_messages(self.dossier())

    @extend_schema(request=MessagePostSerializer, responses={201: MessageSerializer})
    def post(self, request, pk: int):
        return _post_message(request, self.dossier())


class ClerkDossierNotes(_ClerkOwnDossierMixin, generics.ListAPIView):
    """Private notes between the clerks of the dossier's council (never the applicant's)."""

    serializer_class = NoteSerializer

    def get_queryset(self):
        return selectors.dossier_private_notes(self.request.user, self.dossier())

    @extend_schema(request=NotePostSerializer, responses={201: NoteSerializer})
    def post(self, request, pk: int):
        dossier = self.dossier()
        body = NotePostSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = _run(
            lambda: services.dossier_add_private_note(
                actor=request.user, dossier=dossier, body=body.validated_data["body"]
            )
        )
        return Response(NoteSerializer(note).data, status=201)
