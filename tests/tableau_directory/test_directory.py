import pytest
from django.db import transaction

from ordre.audit.actors import SystemActor
from tableau.directory.models import DirectoryEntry
from tableau.directory.selectors import DirectoryQuery, directory_search
from tableau.enums import DoctorStatus
from tableau.normalise import department_of, normalise
from tableau.services import doctor_change_status

PARIS = {"mode": "L", "address": "3 rue de Rivoli", "postal_code": "75004", "city": "Paris"}
AJACCIO = {"mode": "S", "address": "Hôpital", "postal_code": "20000", "city": "Ajaccio"}


@pytest.fixture
def doctors(register_doctor):
    return {
        "dupont": register_doctor(
            last_name="Dupont", first_names="Jean-Marc", places=[PARIS], qualifications=["SM54"]
        ),
        "dupond": register_doctor(last_name="Dupond", first_names="Jeanne", places=[AJACCIO]),
        "eloise": register_doctor(
            last_name="Lefèvre", first_names="Éloïse", places=[PARIS], qualifications=["SM26"]
        ),
        "oeuvre": register_doctor(council="13", last_name="Cœur-de-Lion", first_names="Richard"),
    }


def _names(**query):
    return [(e.last_name, e.first_name) for e in directory_search(DirectoryQuery(**query)).entries]


def test_normalise_and_departments():
    assert normalise("  Jean-Marc  D'Éloï ") == "jean marc d eloi"
    assert normalise("Cœur") == "coeur"
    assert [department_of(c) for c in ("75004", "20000", "20290", "97400", "x")] == [
        "75",
        "2A",
        "2B",
        "974",
        "",
    ]


@pytest.mark.django_db
def test_every_word_prefix_accent_and_case_insensitive(doctors):
    assert _names(q="dupon jea") == [("Dupond", "Jeanne"), ("Dupont", "Jean-Marc")]
    assert _names(q="JEAN-MARC dup") == [("Dupont", "Jean-Marc")]
    assert _names(q="marc") == [("Dupont", "Jean-Marc")]
    assert _names(q="eloise lefev") == [("Lefèvre", "Éloïse")]
    assert _names(q="coeur de li") == [("Cœur-de-Lion", "Richard")]
    assert _names(q="zzz") == []


@pytest.mark.django_db
def test_exact_words_rank_before_prefixes(doctors):
    # "dupont" is a whole word of one name and only a prefix of none other.
    assert _names(q="dupon")[0][0] in {"Dupond", "Dupont"}
    assert _names(q="dupont") == [("Dupont", "Jean-Marc")]
    assert _names(q="jean")[0] == ("Dupont", "Jean-Marc")  # whole word before "jeanne"


@pytest.mark.django_db
def test_filters(doctors):
    assert _names(rpps=doctors["eloise"].rpps) == [("Lefèvre", "Éloïse")]
    assert _names(specialty="SM54") == [("Dupont", "Jean-Marc")]
    assert _names(department="2a") == [("Dupond", "Jeanne")]
    assert _names(city="paris", q="d") == [("Dupont", "Jean-Marc")]
    assert _names(mode="S") == [("Dupond", "Jeanne")]
    assert _names() == []


@pytest.mark.django_db
def test_struck_off_and_deceased_are_not_listed(doctors):
    with transaction.atomic():
        doctor_change_status(
            actor=SystemActor("test"), doctor=doctors["dupont"], status=DoctorStatus.STRUCK_OFF
        )
    assert _names(q="dupon") == [("Dupond", "Jeanne")]
    entry = DirectoryEntry.objects.get(rpps=doctors["dupont"].rpps)
    assert entry.listed is False


@pytest.mark.django_db
def test_paging_is_capped_and_stable(register_doctor):
    for i in range(7):
        register_doctor(last_name=f"Bernard{chr(97 + i)}")
    first = directory_search(DirectoryQuery(q="bern", page_size=3))
    second = directory_search(DirectoryQuery(q="bern", page=2, page_size=3))
    third = directory_search(DirectoryQuery(q="bern", page=3, page_size=3))
    names = [e.last_name for p in (first, second, third) for e in p.entries]
    assert names == sorted(names) and len(set(names)) == 7
    assert (first.has_next, third.has_next) == (True, False)
    assert directory_search(DirectoryQuery(q="bern", page=999, page_size=500)).page_size == 50


@pytest.mark.django_db
def test_page_shows_only_public_fields(client, doctors, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/annuaire/", {"q": "dupon jea"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dupont" in html and "Dupond" in html
    assert "1980" not in html and "Lyon" not in html  # birth date and place are not public
    detail = client.get(f"/annuaire/{doctors['dupont'].rpps}/")
    assert detail.status_code == 200 and "Médecine générale" in detail.content.decode()
    assert client.get("/annuaire/10999999999/").status_code == 404
    assert "RPPS compte 11" in client.get("/annuaire/", {"rpps": "12"}).content.decode()


@pytest.mark.django_db
def test_page_is_rate_limited_per_client(client, settings, clear_cache):
    settings.DIRECTORY_PAGE_RATE = 2
    assert client.get("/annuaire/").status_code == 200
    assert client.get("/annuaire/").status_code == 200
    limited = client.get("/annuaire/")
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    assert client.get("/annuaire/", REMOTE_ADDR="198.51.100.7").status_code == 200


@pytest.mark.django_db
def test_api_search(client, doctors, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/annuaire/medecins/", {"q": "dupon jea", "page_size": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["has_next"] is True
    (first,) = body["results"]
    assert set(first) == {"rpps", "last_name", "first_name", "council", "specialties", "places"}
    bad = client.get("/api/v1/annuaire/medecins/", {"specialty": "XX99", "rpps": "1"})
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")
    assert set(bad.json()["errors"]) >= {"specialty", "rpps"}
    assert (
        client.get(f"/api/v1/annuaire/medecins/{doctors['eloise'].rpps}/").json()["first_name"]
        == "Éloïse"
    )
