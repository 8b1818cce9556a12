"""The kernel endpoints (`me`, `ping`) and pagination."""

import pytest
from django.contrib.auth.models import Group

from ordre.api.pagination import PageNumberPagination
from tests.api.helpers import key_header

pytestmark = pytest.mark.django_db


def test_me_with_a_session(api_client, login, django_user_model, django_assert_max_num_queries):
    user = django_user_model.objects.create_user(
        username="dr.martin", first_name="Anne", last_name="Martin", password="x" * 20
    )
    user.groups.add(Group.objects.get_or_create(name="medecin")[0])
    login(user)
    with django_assert_max_num_queries(6):
        response = api_client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {
        "kind": "user",
        "username": "dr.martin",
        "full_name": "Anne Martin",
        "roles": ["medecin"],
        "scopes": [],
        "council_code": "",
    }


def test_me_with_a_key(api_client, issue_key):
    issued = issue_key(scopes=[], owner="SI du conseil de Paris", council_code="75")
    response = api_client.get("/api/v1/me/", **key_header(issued.secret))
    assert response.status_code == 200
    assert response.json() == {
        "kind": "api_key",
        "username": "api-key:si-conseil-75",
        "full_name": "SI du conseil de Paris",
        "roles": [],
        "scopes": [],
        "council_code": "75",
    }


def test_me_anonymous_is_a_401_problem(api_client):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_ping_refuses_a_session_user(api_client, login, django_user_model):
    login(django_user_model.objects.create_user(username="u", password="x" * 20))
    assert api_client.get("/api/v1/ping/").status_code == 403


def test_pagination_caps_page_size(
    api_client, login, issue_key, test_urls, django_user_model, django_assert_max_num_queries
):
    for index in range(5):
        issue_key(name=f"k{index}")
    login(django_user_model.objects.create_user(username="u", password="x" * 20))
    # session, user, OTP device, count, page, session save: not one more per row.
    with django_assert_max_num_queries(7):
        response = api_client.get("/api/test/keys/", {"page_size": 2})
    body = response.json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]
    # Beyond the cap, the page holds at most max_page_size rows.
    assert PageNumberPagination.max_page_size == 200
    response = api_client.get("/api/test/keys/", {"page_size": 100000})
    assert len(response.json()["results"]) == 5
    paginator = PageNumberPagination()
    request = type("R", (), {"query_params": {"page_size": "100000"}})()
    assert paginator.get_page_size(request) == 200
    # A page past the end is a 404 problem.
    response = api_client.get("/api/test/keys/", {"page": 99})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
