"""Writes of the notifications: the inbox, and the e-mails sent from Celery.

`notify` renders `notifications/<template>/subject.txt`, `body.txt` and `body.html`
(French), stores an inbox message and, when asked and when the recipient has an
address, an `EmailDelivery` holding the rendered e-mail. The e-mail is queued only
after the caller's transaction commits, so a rolled-back action sends nothing.
"""

import logging
import re
from functools import cache
from smtplib import SMTPException

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import DNS_NAME, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.backends.django import DjangoTemplates
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ordre.notifications.models import EmailDelivery, InboxMessage

logger = logging.getLogger(__name__)

TEMPLATE_NAME = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_-]+)*$")


@cache
def _text_engine() -> DjangoTemplates:
    """The project's templates without HTML escaping, for subjects and plain text."""
    return DjangoTemplates(
        {
            "NAME": "notifications-text",
            "DIRS": settings.TEMPLATES[0]["DIRS"],
            "APP_DIRS": True,
            "OPTIONS": {"autoescape": False},
        }
    )


def render_notification(*, template: str, context: dict) -> tuple[str, str, str]:
    """Render (subject, text body, HTML body) of `notifications/<template>/`.

    The text body is both the inbox message and the text part of the e-mail; the
    HTML body (extending `notifications/email_base.html`) adds the no-reply notice.
    """
    if not TEMPLATE_NAME.match(template):
        raise ValueError(f"invalid notification template name: {template!r}")
    link = context.get("link", "")
    full = {
        "site_url": settings.SITE_URL,
        "link_url": f"{settings.SITE_URL.rstrip('/')}{link}" if link.startswith("/") else link,
        **context,
    }
    base = f"notifications/{template}"
    engine = _text_engine()
    with translation.override(settings.LANGUAGE_CODE):
        subject = engine.get_template(f"{base}/subject.txt").render(full)
        text = engine.get_template(f"{base}/body.txt").render(full)
        html = render_to_string(f"{base}/body.html", full)
    # One line, as mail headers need; bounded like the column.
    subject = " ".join(subject.split())[:255]
    return subject, text.strip() + "\n", html


@transaction.atomic
def notify(*, recipient, template: str, context: dict, email: bool = True) -> InboxMessage:
    """Put a message in the recipient's inbox and, with `email`, send it by e-mail too.

    `context["link"]` (optional) is a portal path (`/tableau/dossiers/12/`) shown in
    the inbox and made absolute in the e-mail (`link_url`). No audit event: a
    notification is a side effect of an action whose own service records it.
    """
    subject, text, html = render_notification(template=template, context=context)
    message = InboxMessage.objects.create(
        recipient=recipient,
        template=template,
        subject=subject,
        body=text,
        link=context.get("link", ""),
    )
    if email and recipient.email:
        delivery = EmailDelivery.objects.create(
            recipient=recipient,
            message=message,
            template=template,
            to_address=recipient.email,
            subject=subject,
            body_text=text,
            body_html=html,
        )
        schedule_delivery(delivery_id=delivery.id)
    elif email:
        logger.info("notification %s: recipient %s has no e-mail address", template, recipient.pk)
    return message


def schedule_delivery(*, delivery_id) -> None:
    """Queue the sending after commit. `robust`: a broker outage must not fail the
    committed request; the pending delivery is picked up by `send_pending_emails`."""
    from ordre.notifications.tasks import send_email_task  # the task module imports us

    transaction.on_commit(lambda: send_email_task.delay(str(delivery_id)), robust=True)


def send_email_delivery(*, delivery_id) -> bool:
    """Send one delivery unless it was already sent. True when this call sent it.

    The row stays locked while the mail backend works, so two workers given the
    same delivery (a redelivered message, the sweeper) cannot both send it. If the
    database commit fails after the SMTP server accepted the mail, it is sent again
    on retry: delivery is at least once, and the stable Message-ID lets mail
    servers drop the duplicate.
    """
    try:
        with transaction.atomic():
            delivery = EmailDelivery.objects.select_for_update().filter(pk=delivery_id).first()
            if delivery is None or delivery.sent_at is not None:
                return False
            mail = EmailMultiAlternatives(
                subject=delivery.subject,
                body=delivery.body_text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[delivery.to_address],
                headers={"Message-ID": f"<{delivery.id}@{DNS_NAME}>"},
            )
            mail.attach_alternative(delivery.body_html, "text/html")
            mail.send(fail_silently=False)
            delivery.sent_at = timezone.now()
            delivery.attempts += 1
            delivery.last_error = ""
            delivery.save(update_fields=["sent_at", "attempts", "last_error"])
            return True
    except (SMTPException, OSError) as exc:
        EmailDelivery.objects.filter(pk=delivery_id).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:500]
        )
        raise


@transaction.atomic
def mark_read(*, actor, message: InboxMessage) -> InboxMessage:
    """Mark one of the actor's own messages as read (no-op when already read)."""
    if message.recipient_id != actor.pk:
        raise PermissionDenied("Ce message ne vous est pas adressé.")
    InboxMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
    message.refresh_from_db(fields=["read_at"])
    return message


@transaction.atomic
def mark_all_read(*, actor) -> int:
    """Mark every unread message of the actor as read; returns how many changed."""
    return InboxMessage.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
