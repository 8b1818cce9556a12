import pytest
from django.test import override_settings


def test_health_answers_without_touching_services(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_request_id_is_generated_and_echoed(client):
    response = client.get("/health/")
    assert len(response["X-Request-ID"]) == 32
    echoed = client.get("/health/", headers={"X-Request-ID": "abc-12345678"})
    assert echoed["X-Request-ID"] == "abc-12345678"
    forged = client.get("/health/", headers={"X-Request-ID": "<script>"})
    assert forged["X-Request-ID"] != "<script>"


@pytest.mark.django_db(transaction=True)
def test_ready_when_database_redis_and_worker_answer(client, live_worker):
    response = client.get("/ready/")
    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert checks["database"]["ok"] and checks["redis"]["ok"] and checks["worker"]["ok"]


@pytest.mark.django_db(transaction=True)
def test_ready_fails_when_no_worker_consumes_the_queue(client, live_worker):
    # The live worker consumes only the test queue: a queue nobody reads is a stopped worker.
    with override_settings(
        CELERY_TASK_DEFAULT_QUEUE="ordre-nobody-listens", READINESS_WORKER_TIMEOUT=1.0
    ):
        response = client.get("/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "detail": "no worker answered"}


@pytest.mark.django_db
def test_ready_fails_when_redis_is_down(client):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/ready/")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["worker"] == {"ok": False, "detail": "redis unavailable"}
    assert body["checks"]["database"]["ok"] is True


def test_metrics_only_for_allowed_addresses(client):
    assert client.get("/metrics/", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics/", REMOTE_ADDR="203.0.113.9").status_code == 403
