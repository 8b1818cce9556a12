import csv

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ordre.audit.models import AuditEvent
from ordre.councils import selectors, services
from ordre.councils.models import Council, CouncilKind

pytestmark = pytest.mark.django_db


def test_exactly_101_departmental_councils():
    councils = selectors.departmental_councils()
    assert councils.count() == 101
    codes = set(councils.values_list("code", flat=True))
    metropolitan = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"}
    assert codes == metropolitan | {"971", "972", "973", "974", "976"}


def test_corsica_is_two_councils_and_20_does_not_exist():
    assert selectors.get_council("2A").region_name == "Corse"
    assert selectors.get_council("2b").name.endswith("(Haute-Corse)")
    with pytest.raises(Council.DoesNotExist):
        selectors.get_council("20")


def test_overseas_departments_have_their_council():
    for code in ("971", "972", "973", "974", "976"):
        council = selectors.get_council(code)
        assert council.kind == CouncilKind.DEPARTMENTAL
        assert council.region_code  # overseas départements are regions of their own


def test_saint_pierre_et_miquelon_has_no_council():
    spm = selectors.get_council("975")
    assert spm.kind == CouncilKind.NONE
    assert spm.email == ""
    assert "975" not in set(selectors.departmental_councils().values_list("code", flat=True))
    assert selectors.council_for_department("975") is None


def test_national_council_keeps_the_special_list():
    national = selectors.national_council()
    assert national.code == "CN"
    assert national.kind == CouncilKind.NATIONAL
    assert national.department_code == ""


def test_other_overseas_collectivities_are_not_councils():
    for code in ("977", "978", "986", "987", "988"):
        assert not Council.objects.filter(pk=code).exists()


def test_council_list_has_every_entry_in_code_order():
    codes = list(selectors.council_list().values_list("code", flat=True))
    assert len(codes) == 103
    assert codes == sorted(codes)
    assert codes[0] == "01" and codes[-1] == "CN"


def test_names_and_regions_come_from_the_reference_csv(settings):
    path = settings.BASE_DIR / "ordre" / "councils" / "data" / "departements.csv"
    with path.open(encoding="utf-8") as handle:
        by_code = {row["code"]: row for row in csv.DictReader(handle)}
    paris = selectors.get_council(75)
    assert paris.name == "Conseil départemental de l'ordre des médecins (Paris)"
    assert paris.region_name == by_code["75"]["region_name"] == "Île-de-France"
    assert paris.email == "cd75@ordre.local"
    assert selectors.get_council("1").code == "01"


def test_council_for_department():
    assert selectors.council_for_department("13").code == "13"
    assert selectors.council_for_department("20") is None


def test_inactive_councils_leave_the_lists(django_user_model):
    admin = django_user_model.objects.create(username="dsi")
    services.council_update(actor=admin, council=selectors.get_council("23"), is_active=False)
    assert selectors.departmental_councils().count() == 100
    assert "23" in selectors.council_list(include_inactive=True).values_list("code", flat=True)


def test_update_records_the_change_in_the_audit_trail(django_user_model):
    admin = django_user_model.objects.create(username="dsi")
    council = services.council_update(
        actor=admin, council=selectors.get_council("75"), email="contact75@ordre.local"
    )
    assert council.email == "contact75@ordre.local"
    event = AuditEvent.objects.get(action=services.ACTION_UPDATED)
    assert event.target_type == "councils.council" and event.target_id == "75"
    assert event.changes == {"email": ["cd75@ordre.local", "contact75@ordre.local"]}
    assert event.actor_user_id == admin.pk


def test_update_without_change_records_nothing(django_user_model):
    admin = django_user_model.objects.create(username="dsi")
    services.council_update(
        actor=admin, council=selectors.get_council("75"), email="cd75@ordre.local"
    )
    assert not AuditEvent.objects.filter(action=services.ACTION_UPDATED).exists()


def test_update_refuses_reference_fields_and_bad_values(django_user_model):
    admin = django_user_model.objects.create(username="dsi")
    with pytest.raises(ValueError, match="kind"):
        services.council_update(actor=admin, council=selectors.get_council("75"), kind="none")
    with pytest.raises(ValidationError):
        services.council_update(actor=admin, council=selectors.get_council("75"), email="nope")
    assert selectors.get_council("75").email == "cd75@ordre.local"


def test_database_refuses_a_second_national_council_and_bad_codes():
    with pytest.raises(IntegrityError), transaction.atomic():
        Council.objects.create(code="99", kind=CouncilKind.NATIONAL, name="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Council.objects.create(
            code="20", kind=CouncilKind.DEPARTMENTAL, department_code="21", name="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Council.objects.create(
            code="X1", kind=CouncilKind.DEPARTMENTAL, department_code="X1", name="x"
        )
