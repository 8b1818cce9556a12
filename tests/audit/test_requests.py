import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import override_settings
from django.urls import path

from ordre.audit.models import AuditEvent
from ordre.urls import urlpatterns as project_urlpatterns


def _forbidden_view(request):
    raise PermissionDenied


# The project's URLs too: the French 403 page links to the portal.
urlpatterns = [path("forbidden/", _forbidden_view), *project_urlpatterns]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.audit.test_requests")
def test_authorisation_refusal_is_recorded_with_request_context(client):
    response = client.get("/forbidden/", headers={"X-Request-ID": "refused-0001"})
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="authz.access.refused")
    assert (event.actor_kind, event.target_id, event.request_id) == (
        "anonymous",
        "/forbidden/",
        "refused-0001",
    )
    assert event.ip == "127.0.0.1"


@pytest.mark.django_db
def test_admin_changes_are_copied_into_the_trail(django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x" * 16)
    with transaction.atomic():
        LogEntry.objects.log_actions(
            user_id=admin.pk,
            queryset=[admin],
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": ["is_staff"]}}],
            single_object=True,
        )
    event = AuditEvent.objects.get(action="admin.accounts_user.changed")
    assert event.actor_user_id == admin.pk
    assert event.target_type == "accounts.user" and event.target_id == str(admin.pk)
    assert ContentType.objects.get_for_model(admin).model == "user"
