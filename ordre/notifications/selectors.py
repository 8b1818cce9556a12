"""Reads of the notifications, always scoped to the person who asks."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from ordre.notifications.models import EmailDelivery, InboxMessage


def inbox_for(user) -> QuerySet[InboxMessage]:
    """The user's own messages, newest first."""
    return InboxMessage.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return InboxMessage.objects.filter(recipient=user, read_at__isnull=True).count()


def pending_deliveries(
    *, older_than: dt.timedelta, newer_than: dt.timedelta
) -> QuerySet[EmailDelivery]:
    """Deliveries not sent yet, queued between `newer_than` and `older_than` ago."""
    now = timezone.now()
    return EmailDelivery.objects.filter(
        sent_at__isnull=True,
        created_at__lte=now - older_than,
        created_at__gte=now - newer_than,
    ).order_by("created_at")
