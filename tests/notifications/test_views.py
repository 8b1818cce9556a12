import pytest

from ordre.notifications import services
from ordre.notifications.models import InboxMessage
from tests.notifications.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(recipient, subject="Objet"):
    return services.notify(
        recipient=recipient,
        template="generic",
        context={"subject": subject, "body": "Corps du message", "link": "/"},
        email=False,
    )


def test_inbox_requires_login(client):
    response = client.get("/messagerie/")
    assert response.status_code == 302
    assert "/comptes/connexion/" in response["Location"]


def test_inbox_lists_only_my_messages_with_the_unread_count(
    client, login, django_assert_max_num_queries
):
    me, other = UserFactory(), UserFactory()
    for n in range(25):
        _notify(me, subject=f"Message {n}")
    _notify(other, subject="Pas pour moi")
    login(me)
    # session, user, groups (portal menu), session touch: the rest is 3 of ours.
    with django_assert_max_num_queries(10):
        response = client.get("/messagerie/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "25 messages non lus" in html
    assert "Message 24" in html  # newest first, 20 per page
    assert "Message 4" not in html
    assert "Pas pour moi" not in html
    assert 'class="fr-pagination"' in html
    page2 = client.get("/messagerie/", {"page": 2}).content.decode()
    assert "Message 0" in page2


def test_mark_read_by_post(client, login):
    me = UserFactory()
    message = _notify(me)
    login(me)
    assert client.get(f"/messagerie/{message.pk}/lu/").status_code == 405
    response = client.post(f"/messagerie/{message.pk}/lu/")
    assert response.status_code == 302 and response["Location"] == "/messagerie/"
    assert InboxMessage.objects.get(pk=message.pk).read_at is not None
    assert "Aucun message non lu" in client.get("/messagerie/").content.decode()


def test_cannot_mark_someone_elses_message(client, login):
    me, other = UserFactory(), UserFactory()
    message = _notify(other)
    login(me)
    assert client.post(f"/messagerie/{message.pk}/lu/").status_code == 404
    assert InboxMessage.objects.get(pk=message.pk).read_at is None


def test_mark_all_read(client, login):
    me = UserFactory()
    _notify(me)
    _notify(me)
    login(me)
    assert client.post("/messagerie/tout-lu/").status_code == 302
    assert not InboxMessage.objects.filter(recipient=me, read_at__isnull=True).exists()


def test_empty_inbox(client, login):
    login(UserFactory())
    assert "Vous n'avez aucun message." in client.get("/messagerie/").content.decode()
