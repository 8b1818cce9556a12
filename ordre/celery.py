"""The Celery application of Ordre.

Reliability settings live in `settings.py` under `CELERY_*`. Conventions for
tasks: idempotent, `acks_late`, retried with exponential backoff
(`autoretry_for`, `retry_backoff=True`, `retry_jitter=True`), thin (load by id,
call one service). Beat reads its schedule from the database (django-celery-beat)
so IT admins change it in the admin.
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordre.settings")

app = Celery("ordre")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def _bind_task_id(task_id=None, task=None, **_):
    import structlog

    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(task_id=task_id, task=getattr(task, "name", None))
