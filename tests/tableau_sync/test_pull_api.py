import pytest
from django.db import transaction

from ordre.api.services import issue_api_key
from ordre.audit.actors import SystemActor
from tableau.sync import services
from tableau.sync.models import CouncilFeed, SyncDelivery

ADMIN = SystemActor("test:sync-admin")


def _key(council: str, scopes=("councils.sync",)) -> str:
    with transaction.atomic():
        result = issue_api_key(
            actor=ADMIN,
            name=f"si-{council}-{'-'.join(scopes)}",
            scopes=list(scopes),
            council_code=council,
        )
    return result.secret


@pytest.fixture
def feeds():
    with transaction.atomic():
        services.feed_configure(actor=ADMIN, council_code="75")
        services.feed_configure(actor=ADMIN, council_code="13")


@pytest.mark.django_db
def test_pull_then_acknowledge(client, feeds, register_doctor, django_assert_max_num_queries):
    for _ in range(3):
        register_doctor("75")
    register_doctor("13")
    auth = {"Authorization": f"Api-Key {_key('75')}"}
    with django_assert_max_num_queries(12):
        page = client.get("/api/v1/conseils/75/changements/?after=0&limit=2", headers=auth)
    assert page.status_code == 200, page.content
    body = page.json()
    assert (len(body["changes"]), body["has_more"]) == (2, True)
    page2 = client.get(
        f"/api/v1/conseils/75/changements/?after={body['next_after']}", headers=auth
    ).json()
    assert (len(page2["changes"]), page2["has_more"]) == (1, False)
    ack = client.post(
        "/api/v1/conseils/75/acquittement/", {"position": page2["next_after"]}, headers=auth,
        content_type="application/json",
    )  # fmt: skip
    assert ack.status_code == 200
    assert CouncilFeed.objects.get(council_id="75").acknowledged_position == page2["next_after"]
    assert SyncDelivery.objects.filter(channel="pull", council_id="75").count() == 2


@pytest.mark.django_db
def test_a_council_key_cannot_read_another_council(client, feeds, register_doctor):
    register_doctor("13")
    auth = {"Authorization": f"Api-Key {_key('75')}"}
    response = client.get("/api/v1/conseils/13/changements/", headers=auth)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
def test_scope_and_input_are_checked(client, feeds):
    other = {"Authorization": f"Api-Key {_key('75', scopes=('api.ping',))}"}
    assert client.get("/api/v1/conseils/75/changements/", headers=other).status_code == 403
    auth = {"Authorization": f"Api-Key {_key('75')}"}
    bad = client.get("/api/v1/conseils/75/changements/?after=-4", headers=auth)
    assert bad.status_code == 400
    assert "after" in bad.json()["errors"]
    past_end = client.post(
        "/api/v1/conseils/75/acquittement/", {"position": 10**9}, headers=auth,
        content_type="application/json",
    )  # fmt: skip
    assert past_end.status_code == 400
    assert client.get("/api/v1/conseils/75/changements/").status_code in (401, 403)
