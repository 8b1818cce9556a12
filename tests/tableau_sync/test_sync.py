import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from ordre.accounts.roles import IT_ADMIN
from ordre.audit.actors import SystemActor
from ordre.audit.models import AuditEvent
from ordre.notifications.models import InboxMessage
from tableau.services import doctor_transfer
from tableau.sync import services
from tableau.sync.models import CouncilFeed, SyncDelivery, SyncRun
from tableau.sync.tasks import check_lagging, run_nightly

from .receivers import CouncilReceiver

ADMIN = SystemActor("test:sync-admin")
SECRET = "s3cret-for-council"


def _feed(code: str, url: str = "") -> CouncilFeed:
    with transaction.atomic():
        return services.feed_configure(
            actor=ADMIN, council_code=code, push_url=url, signing_secret=SECRET if url else None
        )


@pytest.mark.django_db
def test_push_delivers_only_the_councils_changes_signed_and_acknowledged(register_doctor):
    with CouncilReceiver(SECRET) as paris, CouncilReceiver(SECRET) as marseille:
        _feed("75", paris.url)
        _feed("13", marseille.url)
        doctors = [register_doctor("75") for _ in range(3)]
        register_doctor("13")
        delivery = services.deliver_push(council_code="75")
        assert (delivery.status, delivery.changes) == ("delivered", 3)
        assert [r["valid"] for r in paris.requests] == [True]
        assert len(paris.applied_positions) == 3
        assert marseille.requests == []
        feed = CouncilFeed.objects.get(council_id="75")
        assert feed.acknowledged_position == max(paris.applied_positions)
        assert AuditEvent.objects.filter(action="tableau_sync.feed.acknowledged").count() == 1
        # Nothing new: nothing sent.
        assert services.deliver_push(council_code="75").status == "nothing"
        assert len(paris.requests) == 1
        # A transfer concerns both councils.
        with transaction.atomic():
            doctor_transfer(actor=ADMIN, doctor=doctors[0], to_council="13")
        services.deliver_push(council_code="75")
        services.deliver_push(council_code="13")
        assert len(paris.applied_positions) == 4
        assert len(marseille.applied_positions) == 2
        assert paris.applied_positions[-1] == marseille.applied_positions[-1]


@pytest.mark.django_db
def test_batches_split_and_bad_signature_is_refused(register_doctor, settings):
    settings.COUNCIL_SYNC_BATCH_SIZE = 2
    with CouncilReceiver("another-secret") as wrong:
        _feed("75", wrong.url)
        register_doctor("75")
        with pytest.raises(services.DeliveryError, match="HTTP 401"):
            services.deliver_push(council_code="75")
        assert CouncilFeed.objects.get(council_id="75").acknowledged_position == 0
        assert SyncDelivery.objects.get().status == "failed"
    with CouncilReceiver(SECRET) as paris:
        _feed("75", paris.url)
        for _ in range(4):
            register_doctor("75")
        delivery = services.deliver_push(council_code="75")
        assert (delivery.changes, delivery.batches) == (5, 3)
        assert len(set(paris.applied_keys)) == 3


@pytest.mark.django_db
def test_push_url_must_be_https_in_production(settings):
    settings.COUNCIL_SYNC_ALLOW_HTTP = False
    with pytest.raises(ValidationError), transaction.atomic():
        services.feed_configure(
            actor=ADMIN, council_code="75", push_url="http://cd75.example/", signing_secret="x"
        )
    with transaction.atomic():
        services.feed_configure(
            actor=ADMIN, council_code="75", push_url="https://cd75.example/", signing_secret="x"
        )


@pytest.mark.django_db
def test_acknowledgement_never_moves_backward_nor_past_the_end(register_doctor):
    _feed("75")
    register_doctor("75")
    last = register_doctor("75").register_changes.get().id
    with transaction.atomic():
        services.feed_acknowledge(actor=ADMIN, council_code="75", position=last)
        services.feed_acknowledge(actor=ADMIN, council_code="75", position=last - 1)
    assert CouncilFeed.objects.get(council_id="75").acknowledged_position == last
    with pytest.raises(ValidationError), transaction.atomic():
        services.feed_acknowledge(actor=ADMIN, council_code="75", position=last + 100)


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_nightly_run_through_the_worker_survives_a_failing_receiver(live_worker, register_doctor):
    with (
        CouncilReceiver(SECRET, fail_first=2) as flaky,
        CouncilReceiver(SECRET) as steady,
    ):
        _feed("75", flaky.url)
        _feed("13", steady.url)
        expected_75 = [register_doctor("75").register_changes.get().id for _ in range(3)]
        expected_13 = [register_doctor("13").register_changes.get().id]

        run_nightly.delay()

        # The steady council is not held up by the failing one.
        assert _wait_for(lambda: steady.applied_positions == expected_13)
        assert _wait_for(lambda: flaky.applied_positions == expected_75, timeout=60)
        # Every attempt carried the same idempotency key for the same batch.
        assert {r["key"] for r in flaky.requests} == {flaky.applied_keys[0]}
        assert len(flaky.requests) == 3
        assert _wait_for(lambda: SyncRun.objects.filter(finished_at__isnull=False).exists())
        assert not SyncDelivery.objects.filter(status="pending").exists()
        statuses = sorted(
            SyncDelivery.objects.filter(council_id="75").values_list("status", flat=True)
        )
        assert statuses == ["delivered", "failed", "failed"]
        assert CouncilFeed.objects.get(council_id="75").acknowledged_position == expected_75[-1]


@pytest.mark.django_db
def test_sync_councils_command(register_doctor, capsys):
    with CouncilReceiver(SECRET, fail_first=1) as paris:
        _feed("75", paris.url)
        register_doctor("75")
        with pytest.raises(CommandError, match="1 council"):
            call_command("sync_councils", "--council", "75")
        call_command("sync_councils", "--council", "75")
        assert "75: delivered, 1 changes" in capsys.readouterr().out
        assert len(paris.applied_positions) == 1
    assert SyncRun.objects.filter(trigger="manual").count() == 2


@pytest.mark.django_db
def test_lagging_council_alerts_it_admins_once(register_doctor, django_user_model):
    from django.contrib.auth.models import Group

    admin = django_user_model.objects.create_user("dsi", email="dsi@ordre.local", password="x" * 16)
    admin.groups.add(Group.objects.get(name=IT_ADMIN))
    feed = _feed("75")
    CouncilFeed.objects.filter(pk=feed.pk).update(
        created_at=feed.created_at.replace(year=feed.created_at.year - 1)
    )
    assert check_lagging() == 0  # nothing waiting: not lagging
    register_doctor("75")
    assert check_lagging() == 1
    assert check_lagging() == 1
    assert (
        InboxMessage.objects.filter(recipient=admin, template="sync_council_lagging").count() == 1
    )
