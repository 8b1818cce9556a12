"""Request counters and durations for Prometheus, labelled by route pattern."""

import pytest
from django.test import Client
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from ordre.ops.metrics import exposition

pytestmark = pytest.mark.django_db


def _count(method: str, route: str, status: str) -> float:
    value = REGISTRY.get_sample_value(
        "ordre_http_requests_total", {"method": method, "route": route, "status": status}
    )
    return value or 0.0


def _observations(method: str, route: str) -> float:
    value = REGISTRY.get_sample_value(
        "ordre_http_request_duration_seconds_count", {"method": method, "route": route}
    )
    return value or 0.0


def test_requests_are_counted_by_route_pattern_and_status():
    client = Client(raise_request_exception=False)
    before = _count("GET", "health/", "200")
    durations = _observations("GET", "health/")
    client.get("/health/")
    client.get("/health/")
    assert _count("GET", "health/", "200") == before + 2
    assert _observations("GET", "health/") == durations + 2


def test_unmatched_paths_do_not_create_a_series_each():
    client = Client(raise_request_exception=False)
    before = _count("GET", "unmatched", "404")
    client.get("/api/v1/no-such-thing-1/")
    client.get("/api/v1/no-such-thing-2/")
    assert _count("GET", "unmatched", "404") == before + 2
    text = exposition()[0].decode()
    assert "no-such-thing" not in text


def test_the_metrics_endpoint_exposes_them():
    client = Client()
    client.get("/health/")
    response = client.get("/metrics/", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    names = {family.name for family in text_string_to_metric_families(response.content.decode())}
    assert {"ordre_http_requests", "ordre_http_request_duration_seconds"} <= names
