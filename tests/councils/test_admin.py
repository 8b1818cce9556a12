import pytest

from ordre.audit.models import AuditEvent
from ordre.councils.models import Council

pytestmark = pytest.mark.django_db


def test_changelist_lists_every_council_in_few_queries(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = admin_client.get("/admin/councils/council/")
    assert response.status_code == 200
    assert "103 conseils" in response.content.decode()


def test_changelist_search_and_filters(admin_client):
    response = admin_client.get("/admin/councils/council/", {"q": "Corse"})
    assert "Corse-du-Sud" in response.content.decode()
    assert "(Paris)" not in response.content.decode()
    response = admin_client.get("/admin/councils/council/", {"kind__exact": "national"})
    assert "Conseil national" in response.content.decode()
    assert "(Paris)" not in response.content.decode()
    response = admin_client.get("/admin/councils/council/", {"region_name": "Corse"})
    assert response.status_code == 200
    assert "Haute-Corse" in response.content.decode()


def test_change_goes_through_the_service_and_is_audited(admin_client):
    response = admin_client.post(
        "/admin/councils/council/13/change/",
        {
            "name": "Conseil départemental de l'ordre des médecins (Bouches-du-Rhône)",
            "email": "accueil13@ordre.local",
            "phone": "04 00 00 00 13",
            "address": "Marseille",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    council = Council.objects.get(pk="13")
    assert council.email == "accueil13@ordre.local"
    assert council.kind == "departmental"
    event = AuditEvent.objects.get(action="councils.council.updated", target_id="13")
    assert set(event.changes) == {"email", "phone", "address"}


def test_no_add_and_no_delete(admin_client):
    assert admin_client.get("/admin/councils/council/add/").status_code == 403
    assert admin_client.get("/admin/councils/council/13/delete/").status_code == 403
