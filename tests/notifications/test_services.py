import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction

from ordre.notifications import selectors, services
from ordre.notifications.models import EmailDelivery, InboxMessage
from ordre.notifications.tasks import send_email_task
from tests.notifications.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTEXT = {
    "subject": "Votre dossier est complet",
    "body": "Dossier n° 12 : pièces reçues.\nMerci & à bientôt <b>",
    "link": "/tableau/dossiers/12/",
    "recipient_name": "Dr Martin",
}


def _notify(recipient, **kwargs):
    return services.notify(recipient=recipient, template="generic", context=CONTEXT, **kwargs)


def test_notify_creates_the_inbox_message_and_queues_the_email_after_commit(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = _notify(user)
    assert message.recipient == user
    assert message.subject == "Votre dossier est complet"
    assert message.body.startswith("Bonjour Dr Martin,\n\nDossier n° 12")
    assert message.link == "/tableau/dossiers/12/"
    assert message.read_at is None
    delivery = EmailDelivery.objects.get(message=message)
    assert delivery.to_address == user.email and delivery.sent_at is None
    assert len(callbacks) == 1  # the task is queued only when the transaction commits


def test_text_is_not_escaped_but_html_is(settings):
    delivery_message = _notify(UserFactory())
    delivery = EmailDelivery.objects.get(message=delivery_message)
    assert "Merci & à bientôt <b>" in delivery.body_text
    assert "Merci &amp; à bientôt &lt;b&gt;" in delivery.body_html
    assert f'href="{settings.SITE_URL}/tableau/dossiers/12/"' in delivery.body_html
    assert f"Pour en savoir plus : {settings.SITE_URL}/tableau/dossiers/12/" in delivery.body_text
    assert '<html lang="fr">' in delivery.body_html


def test_no_email_when_not_asked_or_no_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(UserFactory(), email=False)
        _notify(UserFactory(email=""))
    assert InboxMessage.objects.count() == 2
    assert not EmailDelivery.objects.exists()
    assert callbacks == []


def test_a_rolled_back_action_notifies_nobody(django_capture_on_commit_callbacks):
    user = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _notify(user)
        raise RuntimeError("the action failed")
    assert not InboxMessage.objects.exists()
    assert callbacks == []


def test_unknown_or_unsafe_template_names_are_refused():
    from django.template import TemplateDoesNotExist

    with pytest.raises(TemplateDoesNotExist):
        services.notify(recipient=UserFactory(), template="nope", context=CONTEXT)
    with pytest.raises(ValueError):
        services.notify(recipient=UserFactory(), template="../base", context=CONTEXT)


def test_send_task_sends_multipart_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = _notify(UserFactory(email="camille@exemple.test"))
    delivery = EmailDelivery.objects.get(message=message)

    assert send_email_task(str(delivery.id)) is True
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["camille@exemple.test"]
    assert sent.subject == "Votre dossier est complet"
    assert sent.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Merci & à bientôt" in sent.body
    assert sent.alternatives[0][1] == "text/html"
    assert "Dr Martin" in sent.alternatives[0][0]
    assert str(delivery.id) in sent.extra_headers["Message-ID"]
    delivery.refresh_from_db()
    assert delivery.sent_at is not None and delivery.attempts == 1

    # A redelivered task (same id) sends nothing.
    assert send_email_task(str(delivery.id)) is False
    assert len(mail.outbox) == 1


def test_a_failing_smtp_server_is_recorded_and_raised(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    delivery = EmailDelivery.objects.get(message=_notify(UserFactory()))
    with pytest.raises(OSError):
        services.send_email_delivery(delivery_id=delivery.id)
    delivery.refresh_from_db()
    assert delivery.sent_at is None
    assert delivery.attempts == 1
    assert delivery.last_error.startswith("ConnectionRefusedError")


def test_send_task_is_configured_for_reliability():
    assert send_email_task.name == "notifications.send_email"
    assert send_email_task.acks_late is True
    assert OSError in send_email_task.autoretry_for
    assert send_email_task.retry_backoff


def test_mark_read_only_for_the_recipient():
    owner, other = UserFactory(), UserFactory()
    message = _notify(owner, email=False)
    with pytest.raises(PermissionDenied):
        services.mark_read(actor=other, message=message)
    assert selectors.unread_count(owner) == 1
    services.mark_read(actor=owner, message=message)
    first_read = InboxMessage.objects.get(pk=message.pk).read_at
    assert first_read is not None
    services.mark_read(actor=owner, message=message)  # idempotent: keeps the first time
    assert InboxMessage.objects.get(pk=message.pk).read_at == first_read
    assert selectors.unread_count(owner) == 0


def test_mark_all_read_and_inbox_scoping():
    owner, other = UserFactory(), UserFactory()
    for _ in range(3):
        _notify(owner, email=False)
    _notify(other, email=False)
    assert selectors.inbox_for(owner).count() == 3
    assert services.mark_all_read(actor=owner) == 3
    assert selectors.unread_count(owner) == 0
    assert selectors.unread_count(other) == 1


def test_demo_load_is_idempotent():
    from ordre.notifications import demo

    users = [UserFactory(), UserFactory()]
    demo.load()
    demo.load()
    for user in users:
        assert selectors.inbox_for(user).count() == 1
    assert not EmailDelivery.objects.exists()
