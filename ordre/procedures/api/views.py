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
from ordre.procedures import selectors, services
from ordre.procedures.api.serializers import (
    ActionSerializer,
    DossierCreateSerializer,
    DossierDetailSerializer,
    DossierSerializer,
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
        try:
            dossier = selectors.dossier_for_clerk(request.user, pk)
        except Dossier.DoesNotExist:
            raise Http404 from None
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
