"""Export the public register in the layout of the national directory extract.

    python manage.py export_register_extract OUTFILE [--layout pipe|semicolon]

Reads the public directory read model (public fields only: the fields of
`PS_LibreAcces_Personne_activite`, never the civil identity) in RPPS order, streamed in
chunks; writes one line per practice place and specialty (`rpps.extract`), UTF-8, LF.
Struck-off and deceased doctors are not in the public register: they are not written.
The file re-imports with `import_ans_extract` (both layouts).
"""

from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ordre.audit.actors import SystemActor
from ordre.audit.services import record_event
from rpps.extract import extract_lines, write_extract
from rpps.fhir import PractitionerData, PractitionerRoleData, Qualification
from rpps.layout import PERSONNE_ACTIVITE_COLUMNS, PIPE, SEMICOLON
from tableau.directory.models import DirectoryEntry
from tableau.normalise import department_of

CHUNK = 5000
_FIELDS = ("rpps", "last_name", "first_name", "specialties", "places", "listed")


def register_pairs() -> Iterator[tuple[PractitionerData, list[PractitionerRoleData]]]:
    """(doctor, practice places) of every listed doctor, in RPPS order, streamed."""
    rows = (
        DirectoryEntry.objects.filter(listed=True)
        .order_by("rpps")
        .values_list(*_FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    for rpps, last_name, first_name, specialties, places, _listed in rows:
        qualifications = tuple(Qualification(code=code) for code in specialties)
        doctor = PractitionerData(
            rpps=rpps,
            family=last_name,
            given=(first_name,) if first_name else (),
            civility_code="DR",
            qualifications=qualifications,
        )
        roles = [
            PractitionerRoleData(
                # Our places have no national structure id: the FHIR role id stands for
                # it, so two places of one doctor stay two activities once imported.
                id=f"{rpps}-{n}",
                structure_id=f"{rpps}-{n}",
                rpps=rpps,
                practice_mode_code=place.get("mode", ""),
                specialties=qualifications,
                organization_name=place.get("name", ""),
                street_name=place.get("address", ""),
                postal_code=place.get("postal_code", ""),
                commune_name=place.get("city", ""),
                department_code=department_of(place.get("postal_code", "")),
            )
            for n, place in enumerate(places or [], start=1)
        ]
        yield doctor, roles


def _semicolon(fields: list[str]) -> str:
    # Every field quoted, and the empty trailing column of the national files.
    return ";".join('"' + f.replace('"', '""') + '"' for f in fields) + ";"


def write_semicolon(stream, pairs) -> int:
    stream.write(_semicolon(list(PERSONNE_ACTIVITE_COLUMNS)) + "\n")
    count = 0
    width = len(PERSONNE_ACTIVITE_COLUMNS)
    for line in extract_lines(pairs):
        # rpps.extract removes "|" from values: splitting the pipe line is exact.
        stream.write(_semicolon(line.split("|")[:width]) + "\n")
        count += 1
    return count


class Command(BaseCommand):
    help = "Exporte le tableau public au format de l'extraction de l'annuaire national."

    def add_arguments(self, parser):
        parser.add_argument("outfile", help="fichier à écrire")
        parser.add_argument("--layout", choices=[PIPE, SEMICOLON], default=PIPE)

    def handle(self, *args, outfile: str, layout: str = PIPE, **options):
        path = Path(outfile)
        if not path.parent.is_dir():
            raise CommandError(f"Dossier introuvable : {path.parent}")
        tmp = path.with_name(path.name + ".part")
        with tmp.open("w", encoding="utf-8", newline="\n") as stream:
            if layout == PIPE:
                count = write_extract(stream, register_pairs())
            else:
                count = write_semicolon(stream, register_pairs())
        tmp.replace(path)
        with transaction.atomic():
            record_event(
                actor=SystemActor("command:export_register_extract"),
                action="tableau.directory.extract_exported",
                target_type="file",
                target_id=path.name[:100],
                changes={"lines": [None, count], "layout": [None, layout]},
            )
        self.stdout.write(f"{path} ({layout}) : {count} lignes écrites.")
