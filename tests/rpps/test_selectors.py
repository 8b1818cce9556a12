"""Selectors that let the register match its doctors with the national directory."""

import pytest

from ordre.audit.actors import SystemActor
from rpps.selectors import (
    differences,
    directory_entries_for_rpps,
    directory_entry_for_rpps,
    entries_for_rpps_list,
    is_in_last_import,
    last_successful_import,
)
from rpps.services import import_ans_extract
from rpps.synthetic import pipe_header, pipe_line, record, rpps_number

pytestmark = pytest.mark.django_db


def _import(tmp_path, records, name="PS_LibreAcces_Personne_activite_t.txt"):
    path = tmp_path / name
    path.write_text("\n".join([pipe_header(), *map(pipe_line, records)]) + "\n", "utf-8")
    return import_ans_extract(actor=SystemActor("test:rpps"), path=path)


def test_entries_by_rpps_main_activity_first(tmp_path):
    pharmacist = {
        **record(1),
        "Code profession": "21",
        "Identifiant technique de la structure": "B",
    }
    competence = {**record(1), "Code type savoir-faire": "C", "Code savoir-faire": "CXX"}
    main = {**record(1), "Code savoir-faire": "SM54"}
    _import(tmp_path, [pharmacist, competence, main, record(2)])

    entries = directory_entries_for_rpps(rpps_number(1))
    assert [(e.profession_code, e.savoir_faire_code) for e in entries] == [
        ("10", "SM54"),
        ("10", "CXX"),
        ("21", record(1)["Code savoir-faire"]),
    ]
    main_entry = directory_entry_for_rpps(rpps_number(1))
    assert main_entry == entries[0]
    assert main_entry.profession_label == "Médecin"
    assert main_entry.savoir_faire_label == "Médecine générale (SM)"
    assert directory_entry_for_rpps(rpps_number(99)) is None


def test_entries_for_many_rpps_in_one_query(tmp_path, django_assert_num_queries):
    _import(tmp_path, [record(i) for i in range(1, 6)])
    wanted = [rpps_number(i) for i in (1, 3, 5, 42)]
    with django_assert_num_queries(1):
        found = entries_for_rpps_list(wanted)
    assert sorted(found) == sorted(wanted[:3])
    assert all(len(v) == 1 for v in found.values())
    with django_assert_num_queries(0):
        assert entries_for_rpps_list([]) == {}


def test_differences_with_the_register(tmp_path):
    _import(tmp_path, [record(1)])
    entry = directory_entry_for_rpps(rpps_number(1))
    register = {
        "last_name": entry.last_name.lower(),  # case is not a difference
        "first_name": "Autre",
        "email": entry.email,
        "not_a_field": "ignored",
    }
    assert differences(register=register, record=entry) == {
        "first_name": ("Autre", entry.first_name)
    }


def test_absent_from_the_last_import(tmp_path):
    _import(tmp_path, [record(1), record(2)])
    _import(tmp_path, [record(1)], name="second.txt")
    assert last_successful_import().file_name == "second.txt"
    assert is_in_last_import(directory_entry_for_rpps(rpps_number(1)))
    assert not is_in_last_import(directory_entry_for_rpps(rpps_number(2)))
