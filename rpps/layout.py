"""Layouts of the national directory extract files, mapped by column NAME.

ANS adds columns over time and spellings drift: columns are found by a normalised
name (accents, case, punctuation and spaces ignored), with aliases; unknown columns are
ignored. Headers: ../shared/data/ans_extract_headers.md.
"""

import csv
import unicodedata
from dataclasses import dataclass

PIPE = "pipe"
SEMICOLON = "semicolon"

# The public `PS_LibreAcces_Personne_activite` header (December 2021 sample), 52 named
# columns; every line ends with "|", giving an empty 53rd field.
PERSONNE_ACTIVITE_COLUMNS = (
    "Type d'identifiant PP",
    "Identifiant PP",
    "Identification nationale PP",
    "Code civilité d'exercice",
    "Libellé civilité d'exercice",
    "Code civilité",
    "Libellé civilité",
    "Nom d'exercice",
    "Prénom d'exercice",
    "Code profession",
    "Libellé profession",
    "Code catégorie professionnelle",
    "Libellé catégorie professionnelle",
    "Code type savoir-faire",
    "Libellé type savoir-faire",
    "Code savoir-faire",
    "Libellé savoir-faire",
    "Code mode exercice",
    "Libellé mode exercice",
    "Numéro SIRET site",
    "Numéro SIREN site",
    "Numéro FINESS site",
    "Numéro FINESS établissement juridique",
    "Identifiant technique de la structure",
    "Raison sociale site",
    "Enseigne commerciale site",
    "Complément destinataire (coord. structure)",
    "Complément point géographique (coord. structure)",
    "Numéro Voie (coord. structure)",
    "Indice répétition voie (coord. structure)",
    "Code type de voie (coord. structure)",
    "Libellé type de voie (coord. structure)",
    "Libellé Voie (coord. structure)",
    "Mention distribution (coord. structure)",
    "Bureau cedex (coord. structure)",
    "Code postal (coord. structure)",
    "Code commune (coord. structure)",
    "Libellé commune (coord. structure)",
    "Code pays (coord. structure)",
    "Libellé pays (coord. structure)",
    "Téléphone (coord. structure)",
    "Téléphone 2 (coord. structure)",
    "Télécopie (coord. structure)",
    "Adresse e-mail (coord. structure)",
    "Code Département (structure)",
    "Libellé Département (structure)",
    "Ancien identifiant de la structure",
    "Autorité d'enregistrement",
    "Code secteur d'activité",
    "Libellé secteur d'activité",
    "Code section tableau pharmaciens",
    "Libellé section tableau pharmaciens",
)


def normalise(name: str) -> str:
    """Column name without accents, case, punctuation or spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


# Model field -> accepted column names (first found wins). The order of this list is
# the order of the columns in the staging SQL and in `content_hash`.
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "pp_id_type": ("Type d'identifiant PP",),
    "pp_id": ("Identifiant PP",),
    "national_id": ("Identification nationale PP",),
    "civility_code": ("Code civilité d'exercice", "Code civilité exercice", "Code civilité"),
    "last_name": ("Nom d'exercice", "Nom d'usage"),
    "first_name": ("Prénom d'exercice", "Prénom d'usage"),
    "profession_code": ("Code profession",),
    "category_code": ("Code catégorie professionnelle",),
    "savoir_faire_type": ("Code type savoir-faire",),
    "savoir_faire_code": ("Code savoir-faire",),
    "practice_mode_code": ("Code mode exercice",),
    "siret": ("Numéro SIRET site", "Numéro SIRET"),
    "siren": ("Numéro SIREN site", "Numéro SIREN"),
    "finess_site": ("Numéro FINESS site", "Numéro FINESS Etablissement"),
    "finess_legal": ("Numéro FINESS établissement juridique", "Numéro FINESS EJ"),
    "structure_id": ("Identifiant technique de la structure",),
    "company_name": ("Raison sociale site", "Raison sociale"),
    "trade_name": ("Enseigne commerciale site", "Enseigne commerciale"),
    "address_recipient": ("Complément destinataire (coord. structure)",),
    "address_place": ("Complément point géographique (coord. structure)",),
    "street_number": ("Numéro Voie (coord. structure)",),
    "street_repetition": ("Indice répétition voie (coord. structure)",),
    "street_type_code": ("Code type de voie (coord. structure)",),
    "street_name": ("Libellé Voie (coord. structure)",),
    "distribution": ("Mention distribution (coord. structure)",),
    "cedex_office": ("Bureau cedex (coord. structure)",),
    "postal_code": ("Code postal (coord. structure)",),
    "commune_code": ("Code commune (coord. structure)",),
    "commune_name": ("Libellé commune (coord. structure)",),
    "country_code": ("Code pays (coord. structure)",),
    "phone": ("Téléphone (coord. structure)",),
    "phone2": ("Téléphone 2 (coord. structure)",),
    "fax": ("Télécopie (coord. structure)",),
    "email": ("Adresse e-mail (coord. structure)",),
    "department_code": ("Code Département (structure)",),
}

# The fields that identify one activity (see rpps.models module doc).
KEY_FIELDS = (
    "national_id",
    "profession_code",
    "structure_id",
    "savoir_faire_type",
    "savoir_faire_code",
    "practice_mode_code",
)


class LayoutError(ValueError):
    """The header line is not one of a national directory extract (message in French)."""


@dataclass(frozen=True)
class Layout:
    name: str  # PIPE or SEMICOLON
    delimiter: str
    columns: tuple[str, ...]  # as in the header, trailing empty column included
    positions: dict[str, int]  # model field -> 1-based position (PostgreSQL arrays)

    @property
    def column_count(self) -> int:
        return len(self.columns)


def detect(header: str) -> Layout:
    """Detect the layout from the header line (BOM and line end already removed)."""
    header = header.lstrip("\ufeff").rstrip("\r\n")
    if header.count("|") > header.count(";"):
        name, delimiter = PIPE, "|"
        columns = header.split("|")
    elif ";" in header:
        name, delimiter = SEMICOLON, ";"
        # '"a";"b";' -> ["a", "b", ""]: the trailing empty field is counted, as in data lines.
        columns = next(csv.reader([header], delimiter=";", quotechar='"'))
    else:
        raise LayoutError("En-tête non reconnu : ni « | » ni « ; » comme séparateur.")
    by_name: dict[str, int] = {}
    for index, column in enumerate(columns, start=1):
        by_name.setdefault(normalise(column), index)
    positions = {}
    for field, aliases in FIELD_COLUMNS.items():
        for alias in aliases:
            position = by_name.get(normalise(alias))
            if position:
                positions[field] = position
                break
    if "pp_id" not in positions and "national_id" not in positions:
        raise LayoutError(
            "Colonnes « Identifiant PP » et « Identification nationale PP » absentes : "
            "ce fichier n'est pas une extraction de l'annuaire."
        )
    return Layout(name=name, delimiter=delimiter, columns=tuple(columns), positions=positions)
