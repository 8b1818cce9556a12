"""The FHIR R4 endpoint of the public directory; every answer validated with fhir.resources."""

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import transaction
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole

from ordre.audit.actors import SystemActor
from tableau.directory.models import DirectoryEntry
from tableau.enums import DoctorStatus
from tableau.services import doctor_change_status

PARIS = {
    "mode": "L",
    "name": "Cabinet Rivoli",
    "address": "3 rue de Rivoli",
    "postal_code": "75004",
    "city": "Paris",
}
LYON = {"mode": "S", "name": "HCL", "address": "Hôpital", "postal_code": "69003", "city": "Lyon"}
SPECIALTY_SYSTEM = (
    "https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale"
)
FHIR_JSON = "application/fhir+json"

pytestmark = pytest.mark.django_db


@pytest.fixture
def doctors(register_doctor):
    return {
        "dupont": register_doctor(
            last_name="Dupont",
            first_names="Jean-Marc",
            places=[PARIS, LYON],
            qualifications=["SM54"],
        ),
        "dupond": register_doctor(last_name="Dupond", first_names="Jeanne", places=[LYON]),
        "eloise": register_doctor(
            last_name="Lefèvre", first_names="Éloïse", places=[PARIS], qualifications=["SM26"]
        ),
        # "Martin" as a given name: found by given=martin, not by family=martin.
        "martin": register_doctor(last_name="Bernard", first_names="Martin"),
        "cadet": register_doctor(last_name="Martin", first_names="Paul"),
    }


def _get(client, path, **params):
    response = client.get(f"/fhir/{path}", params)
    assert response["Content-Type"].startswith(FHIR_JSON)
    return response


def _bundle(client, path, **params) -> dict:
    response = _get(client, path, **params)
    assert response.status_code == 200, response.content
    body = response.json()
    Bundle.model_validate(body)
    assert body["type"] == "searchset"
    return body


def _ids(bundle: dict, mode: str = "match") -> list[str]:
    return [e["resource"]["id"] for e in bundle["entry"] if e["search"]["mode"] == mode]


def _family(bundle: dict) -> list[str]:
    return sorted(
        e["resource"]["name"][0]["family"]
        for e in bundle["entry"]
        if e["search"]["mode"] == "match"
    )


def _outcome(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    OperationOutcome.model_validate(body)
    return body


def test_capability_statement(client):
    body = _get(client, "metadata").json()
    CapabilityStatement.model_validate(body)
    assert body["fhirVersion"] == "4.0.1"
    by_type = {r["type"]: r for r in body["rest"][0]["resource"]}
    assert {p["name"] for p in by_type["Practitioner"]["searchParam"]} >= {
        "family",
        "given",
        "name",
        "identifier",
        "qualification-code",
        "active",
        "_lastUpdated",
        "_count",
    }
    assert by_type["Practitioner"]["searchRevInclude"] == ["PractitionerRole:practitioner"]
    assert by_type["PractitionerRole"]["searchInclude"] == ["PractitionerRole:practitioner"]


def test_practitioner_read_has_public_fields_only(client, doctors):
    doctor = doctors["dupont"]
    response = _get(client, f"Practitioner/{doctor.rpps}")
    assert response.status_code == 200
    body = response.json()
    Practitioner.model_validate(body)
    assert body["id"] == doctor.rpps
    assert body["active"] is True
    assert {(i["system"], i["value"]) for i in body["identifier"]} == {
        ("https://rpps.esante.gouv.fr", doctor.rpps),
        ("urn:oid:1.2.250.1.71.4.2.1", "8" + doctor.rpps),
    }
    assert {i["type"]["coding"][0]["code"] for i in body["identifier"]} == {"RPPS", "IDNPS"}
    assert body["name"] == [
        {"use": "usual", "family": "Dupont", "given": ["Jean-Marc"], "prefix": ["Dr"]}
    ]
    codings = [c for q in body["qualification"] for c in q["code"]["coding"]]
    assert {"system": SPECIALTY_SYSTEM, "code": "SM54"}.items() <= next(
        c for c in codings if c["code"] == "SM54"
    ).items()
    assert body["meta"]["lastUpdated"]
    assert "fr-core-practitioner" in body["meta"]["profile"][0]
    for private in ("birthDate", "gender", "telecom", "address"):
        assert private not in body
    assert "1980" not in response.content.decode()


def test_practitioner_role_read(client, doctors):
    doctor = doctors["dupont"]
    body = _get(client, f"PractitionerRole/{doctor.rpps}-2").json()
    PractitionerRole.model_validate(body)
    assert body["practitioner"]["reference"] == f"Practitioner/{doctor.rpps}"
    codes = {c["code"] for cc in body["code"] for c in cc["coding"]}
    assert codes == {"10", "S"}  # médecin (TRE_G15), salarié (TRE_R23)
    assert body["specialty"][0]["coding"][0]["code"] == "SM54"
    assert body["organization"]["display"] == "HCL"
    assert body["location"] == [{"display": "HCL, Hôpital, 69003 Lyon"}]


def test_not_found_and_invalid_as_operation_outcome(client, doctors):
    assert _outcome(_get(client, "Practitioner/10999999999"), 404)["issue"][0]["code"] == (
        "not-found"
    )
    _outcome(_get(client, "Practitioner/abc"), 404)
    _outcome(_get(client, f"PractitionerRole/{doctors['dupont'].rpps}-3"), 404)
    _outcome(_get(client, f"PractitionerRole/{doctors['martin'].rpps}-1"), 404)
    _outcome(_get(client, "Patient/1"), 404)
    for params in (
        {"birthdate": "1980"},
        {"family:exact": "Dupont"},
        {"active": "yes"},
        {"_count": "x"},
        {"_count": "0"},
        {"_lastUpdated": "gt-not-a-date"},
        {"_include": "PractitionerRole:practitioner"},
        {"_revinclude": "PractitionerRole:location"},
    ):
        issue = _outcome(_get(client, "Practitioner", **params), 400)["issue"][0]
        assert issue["code"] == "invalid"
        assert issue["diagnostics"]
    _outcome(_get(client, "PractitionerRole", family="dupont"), 400)
    _outcome(client.post("/fhir/Practitioner", {}), 405)


def test_family_given_and_name_prefix_accent_insensitive(client, doctors):
    assert _family(_bundle(client, "Practitioner", family="dupon")) == ["Dupond", "Dupont"]
    assert _family(_bundle(client, "Practitioner", family="DUPONT")) == ["Dupont"]
    assert _family(_bundle(client, "Practitioner", family="lefev")) == ["Lefèvre"]
    assert _family(_bundle(client, "Practitioner", given="eloi")) == ["Lefèvre"]
    assert _family(_bundle(client, "Practitioner", given="mar")) == ["Bernard", "Dupont"]
    assert _family(_bundle(client, "Practitioner", family="martin")) == ["Martin"]
    assert _family(_bundle(client, "Practitioner", given="martin")) == ["Bernard"]
    assert _family(_bundle(client, "Practitioner", name="martin")) == ["Bernard", "Martin"]
    assert _family(_bundle(client, "Practitioner", name="dupon jea")) == ["Dupond", "Dupont"]
    assert _family(_bundle(client, "Practitioner", family="dupon", given="jeanne")) == ["Dupond"]
    assert _family(_bundle(client, "Practitioner", family="dupond,lefevre")) == [
        "Dupond",
        "Lefèvre",
    ]
    assert _bundle(client, "Practitioner", family="zzz")["entry"] == []


def test_identifier_search(client, doctors):
    rpps = doctors["eloise"].rpps
    for value in (
        f"https://rpps.esante.gouv.fr|{rpps}",
        f"urn:oid:1.2.250.1.71.4.2.1|8{rpps}",
        rpps,
        f"8{rpps}",
    ):
        assert _ids(_bundle(client, "Practitioner", identifier=value)) == [rpps], value
    # The RPPS under the IDNPS system (or the reverse) is not the same identifier.
    assert (
        _ids(_bundle(client, "Practitioner", identifier=f"urn:oid:1.2.250.1.71.4.2.1|{rpps}")) == []
    )
    assert _ids(_bundle(client, "Practitioner", identifier=f"http://other|{rpps}")) == []
    both = f"{rpps},{doctors['cadet'].rpps}"
    assert sorted(_ids(_bundle(client, "Practitioner", identifier=both))) == sorted(
        [rpps, doctors["cadet"].rpps]
    )


def test_qualification_code_and_specialty(client, doctors):
    assert _family(_bundle(client, "Practitioner", **{"qualification-code": "SM26"})) == ["Lefèvre"]
    assert _family(
        _bundle(client, "Practitioner", **{"qualification-code": f"{SPECIALTY_SYSTEM}|SM54"})
    ) == ["Dupont"]
    assert (
        _family(_bundle(client, "Practitioner", **{"qualification-code": "http://other|SM54"}))
        == []
    )
    roles = _bundle(client, "PractitionerRole", specialty="SM54")
    assert _ids(roles) == [f"{doctors['dupont'].rpps}-1", f"{doctors['dupont'].rpps}-2"]


def test_struck_off_is_inactive_and_found_only_with_active_false(client, doctors):
    doctor = doctors["cadet"]
    with transaction.atomic():
        doctor_change_status(
            actor=SystemActor("test"),
            doctor=doctor,
            status=DoctorStatus.STRUCK_OFF,
            effective_on=timezone.localdate(),
            reason="Décision disciplinaire",
        )
    assert _bundle(client, "Practitioner", family="martin")["entry"] == []
    assert _ids(_bundle(client, "Practitioner", identifier=doctor.rpps)) == []
    inactive = _bundle(client, "Practitioner", family="martin", active="false")
    assert _ids(inactive) == [doctor.rpps]
    assert inactive["entry"][0]["resource"]["active"] is False
    assert doctor.rpps not in _ids(_bundle(client, "Practitioner", active="true", _count=100))
    assert _get(client, f"Practitioner/{doctor.rpps}").json()["active"] is False


def test_last_updated(client, doctors):
    old = timezone.now() - dt.timedelta(days=3)
    DirectoryEntry.objects.filter(rpps=doctors["dupond"].rpps).update(updated_at=old)
    day = (old + dt.timedelta(days=1)).date().isoformat()
    assert _family(_bundle(client, "Practitioner", family="dupon", _lastUpdated=f"gt{day}")) == [
        "Dupont"
    ]
    assert _family(_bundle(client, "Practitioner", family="dupon", _lastUpdated=f"le{day}")) == [
        "Dupond"
    ]
    instant = (old + dt.timedelta(seconds=1)).isoformat()
    assert _family(
        _bundle(client, "Practitioner", family="dupon", _lastUpdated=f"ge{instant}")
    ) == ["Dupont"]
    assert _family(
        _bundle(
            client, "Practitioner", family="dupon", _lastUpdated=[f"ge{old.date()}", f"lt{day}"]
        )
    ) == ["Dupond"]


def test_revinclude_and_include(client, doctors, django_assert_num_queries):
    dupont = doctors["dupont"].rpps
    with django_assert_num_queries(1):
        bundle = _bundle(
            client, "Practitioner", family="dupont", _revinclude="PractitionerRole:practitioner"
        )
    assert _ids(bundle) == [dupont]
    assert _ids(bundle, "include") == [f"{dupont}-1", f"{dupont}-2"]
    with django_assert_num_queries(1):
        bundle = _bundle(client, "PractitionerRole", _include="PractitionerRole:practitioner")
    # Dupont (2 places), Dupond and Lefèvre (1 each); Bernard and Martin have no place.
    assert len(_ids(bundle)) == 4
    assert sorted(_ids(bundle, "include")) == sorted(
        [dupont, doctors["dupond"].rpps, doctors["eloise"].rpps]
    )
    practitioner = _bundle(client, "PractitionerRole", practitioner=f"Practitioner/{dupont}")
    assert _ids(practitioner) == [f"{dupont}-1", f"{dupont}-2"]
    assert _ids(practitioner, "include") == []


def _follow(client, path, **params):
    """Every page of a search by its next links: (ids, number of pages)."""
    bundle = _bundle(client, path, **params)
    ids, pages = _ids(bundle), 1
    while True:
        links = {link["relation"]: link["url"] for link in bundle["link"]}
        if "next" not in links:
            return ids, pages
        url = urlsplit(links["next"])
        assert url.path == f"/fhir/{path}"
        bundle = _bundle(client, path, **dict(parse_qsl(url.query)))
        ids += _ids(bundle)
        pages += 1


def test_paging_follows_next_links_without_duplicates(client, register_doctor):
    made = [
        register_doctor(last_name=f"Page{i:02d}", places=[PARIS] * (1 + i % 3)) for i in range(11)
    ]
    ids, pages = _follow(client, "Practitioner", family="page", _count=3)
    assert pages == 4
    assert ids == sorted(d.rpps for d in made)
    role_ids, role_pages = _follow(client, "PractitionerRole", _count=4)
    expected = sorted((d.rpps, n) for i, d in enumerate(made) for n in range(1, 2 + i % 3))
    assert len(role_ids) == len(expected) == 21
    assert role_ids == [f"{rpps}-{n}" for rpps, n in expected]
    assert role_pages == 6
    bundle = _bundle(client, "Practitioner", family="page", _count=500)
    assert len(bundle["entry"]) == 11
    assert "next" not in {link["relation"] for link in bundle["link"]}


def test_search_query_count(client, register_doctor, django_assert_num_queries):
    for i in range(25):
        register_doctor(last_name=f"Nombre{i}", places=[PARIS, LYON], qualifications=["SM54"])
    with django_assert_num_queries(1):
        bundle = _bundle(
            client,
            "Practitioner",
            name="nombre",
            **{"qualification-code": "SM54"},
            _revinclude="PractitionerRole:practitioner",
            _count=100,
        )
    assert len(_ids(bundle)) == 25
    assert len(_ids(bundle, "include")) == 50
    with django_assert_num_queries(1):
        _bundle(
            client, "PractitionerRole", specialty="SM54", _include="PractitionerRole:practitioner"
        )


def test_id_search_and_roles_of_inactive(client, doctors):
    dupont = doctors["dupont"].rpps
    assert _ids(_bundle(client, "Practitioner", _id=dupont)) == [dupont]
    assert _ids(_bundle(client, "PractitionerRole", _id=f"{dupont}-2")) == [f"{dupont}-2"]
    assert _ids(_bundle(client, "PractitionerRole", practitioner=dupont, active="false")) == []


def test_throttled_per_client(client, doctors, settings, clear_cache):
    settings.DIRECTORY_PAGE_RATE = 2
    assert _get(client, "metadata").status_code == 200
    assert _get(client, "Practitioner", family="dupont").status_code == 200
    issue = _outcome(_get(client, "Practitioner", family="dupont"), 429)["issue"][0]
    assert issue["code"] == "throttled"
