"""The rpps admin pages render, read-only."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from rpps.models import DirectoryEntry, ImportRejection, ImportRun, RppsAllocation


@pytest.mark.django_db
@pytest.mark.parametrize("model", [RppsAllocation, ImportRun, ImportRejection, DirectoryEntry])
def test_admin_is_read_only(model):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
