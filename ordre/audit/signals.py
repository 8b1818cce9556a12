"""Audit context for Celery tasks, and admin changes copied into the trail."""

from celery import signals as celery_signals
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from ordre.audit import context
from ordre.audit.services import record_event

_ADMIN_VERBS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}
_task_tokens: dict[str, object] = {}


@celery_signals.task_prerun.connect
def _bind_task(task_id=None, task=None, **_):
    _task_tokens[task_id] = context.bind(task_id=task_id)


@celery_signals.task_postrun.connect
def _unbind_task(task_id=None, **_):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        context.reset(token)


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_log_entry")
def _admin_change(sender, instance: LogEntry, created: bool, **_):
    if not created:
        return
    model = instance.content_type.model if instance.content_type_id else "object"
    app = instance.content_type.app_label if instance.content_type_id else "admin"
    # Only the field names the admin reports, never their values.
    with transaction.atomic():
        record_event(
            actor=instance.user,
            action=f"admin.{app}_{model}.{_ADMIN_VERBS.get(instance.action_flag, 'changed')}",
            target_type=f"{app}.{model}",
            target_id=instance.object_id or "",
            changes={"message": instance.get_change_message()[:500]}
            if instance.action_flag == CHANGE
            else {},
        )
