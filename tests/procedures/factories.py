"""Factories of the dossier engine's tests: users with roles and council scopes, documents,
and a throw-away procedure kind."""

import uuid

from django.contrib.auth.models import Group

from ordre.accounts import roles
from ordre.accounts.models import User
from ordre.procedures.registry import PieceSpec, ProcedureKind, register_kind

TEST_KIND = "test_kind"

ACCEPTED: list = []  # (dossier id, actor id) pairs seen by the test kind's hook


def _on_accept(dossier, actor):
    if (dossier.form_data or {}).get("explode"):
        raise RuntimeError("the register refused")
    ACCEPTED.append((dossier.pk, actor.pk))


def register_test_kind():
    return register_kind(
        ProcedureKind(
            code=TEST_KIND,
            label="Démarche de test",
            pieces=(
                PieceSpec("identity", "Pièce d’identité"),
                PieceSpec("other", "Autre", required=False),
            ),
            deadline_months=2,
            on_accept=_on_accept,
        ),
        replace=True,
    )


def make_user(*, role: str | None = None, councils=(), email: str | None = None, **extra) -> User:
    name = f"u-{uuid.uuid4().hex[:10]}"
    user = User.objects.create_user(
        username=name, email=email if email is not None else f"{name}@example.org", **extra
    )
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    for code in councils:
        add_membership(user, code)
    return user


def add_membership(user, code: str, role: str = "clerk"):
    from ordre.accounts.services import council_membership_add
    from ordre.audit.actors import SystemActor

    return council_membership_add(
        actor=SystemActor("test"), user=user, council_code=code, role=role
    )


def make_clerk(*councils: str) -> User:
    return make_user(role=roles.CLERK, councils=councils)


def make_applicant() -> User:
    return make_user(role=roles.APPLICANT)


def make_document(owner, *, purpose: str = "procedures.piece"):
    from ordre.documents.models import Document, DocumentStatus

    doc_id = uuid.uuid4()
    return Document.objects.create(
        id=doc_id,
        owner=owner,
        purpose=purpose,
        original_filename="piece.pdf",
        content_type="application/pdf",
        size=1234,
        status=DocumentStatus.READY,
        storage_name=f"test/{doc_id}",
        key_id="test",
    )
