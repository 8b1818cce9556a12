"""Writes of the councils: only their contact details and service flag change."""

from django.db import transaction

from ordre.audit.services import record_event
from ordre.councils.models import Council

EDITABLE_FIELDS = ("name", "email", "phone", "address", "is_active")
ACTION_UPDATED = "councils.council.updated"


@transaction.atomic
def council_update(*, actor, council: Council, **changes) -> Council:
    """Change the editable fields of a council and record what changed.

    Codes, kinds and geography come from the reference data (a migration), never
    from a form. A council's contact details are institutional, not personal, so
    the audit event carries the before and after values.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable on a council: {', '.join(sorted(unknown))}")
    current = Council.objects.select_for_update().get(pk=council.pk)
    diff = {
        field: [getattr(current, field), value]
        for field, value in changes.items()
        if getattr(current, field) != value
    }
    if not diff:
        return current
    for field, (_, value) in diff.items():
        setattr(current, field, value)
    current.full_clean()
    current.save(update_fields=list(diff))
    record_event(actor=actor, action=ACTION_UPDATED, target=current, changes=diff)
    return current
