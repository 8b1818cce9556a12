"""FHIR search over the public directory read model (`DirectoryEntry`).

Parameters follow the national directory API (Annuaire Santé FHIR). Every search is ONE
query: includes and reverse includes come from the same rows (a Practitioner and its
PractitionerRoles are one directory entry). Paging is keyset on the RPPS (unique, stable
whatever the writes between two pages), through an opaque `_cursor` parameter.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from rpps import nomenclature
from rpps.identifiers import IDNPS_PREFIX, IDNPS_SYSTEM, RPPS_SYSTEM, is_rpps_format
from tableau.directory.models import DirectoryEntry
from tableau.fhir.resources import PRACTITIONER, PRACTITIONER_ROLE
from tableau.normalise import normalise

DEFAULT_COUNT = 20
MAX_COUNT = 100
MAX_TOKENS = 6
SPECIALTY_SYSTEM = nomenclature.system(nomenclature.SPECIALTY)
INCLUDE_ROLE_PRACTITIONER = "PractitionerRole:practitioner"

# The SQL form of `normalise` for one column (stock PostgreSQL, no unaccent): lowercase,
# common Latin accents stripped, anything else than [a-z0-9] as a space. Used only to
# tell the family name from the given name once the indexed `search` column matched.
_ACCENTED = "àáâãäåāăąçćčďèéêëēĕėęěìíîïīĭįłñńňòóôõöōŏőùúûüūŭůűųýÿźżžśšŕřţťģķļņ"
_PLAIN = "".join(unicodedata.normalize("NFKD", c)[0] for c in _ACCENTED).replace("ł", "l")
_NORMALISED_SQL = (
    "regexp_replace(translate(replace(replace(lower({column}), 'œ', 'oe'), 'æ', 'ae'), "
    f"'{_ACCENTED}', '{_PLAIN}'), '[^a-z0-9]+', ' ', 'g')"
)
_PREFIXES = ("gt", "ge", "lt", "le", "eq")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class SearchError(ValueError):
    """A search the server refuses (unknown or invalid parameter): answered with 400."""


@dataclass
class Search:
    resource: str
    queryset: QuerySet
    count: int = DEFAULT_COUNT
    cursor: str = ""
    include_related: bool = False  # _include (roles) or _revinclude (practitioners)
    params: list[tuple[str, str]] = field(default_factory=list)  # for the links


@dataclass
class SearchPage:
    entries: list  # DirectoryEntry rows of the page (Practitioner) or of its roles
    roles: list[tuple[DirectoryEntry, int, dict]]  # (entry, n, place) for PractitionerRole
    next_cursor: str


def _tsquery(values: list[str]) -> str | None:
    """One prefix tsquery for comma-separated alternatives (OR), every word a prefix (AND)."""
    alternatives = []
    for value in values:
        tokens = normalise(value).split()[:MAX_TOKENS]
        if tokens:
            alternatives.append("(" + " & ".join(f"{t}:*" for t in tokens) + ")")
    return " | ".join(alternatives) or None


def _name_filter(queryset: QuerySet, value: str, column: str | None, n: int) -> QuerySet:
    query = _tsquery(value.split(","))
    if query is None:
        return queryset
    # Tokens hold only [a-z0-9]: safe inside a tsquery. The indexed vector narrows first.
    sql = "search @@ to_tsquery('simple', %s)"
    params = [query]
    if column:
        sql += f" AND to_tsvector('simple', {_NORMALISED_SQL.format(column=column)})"
        sql += " @@ to_tsquery('simple', %s)"
        params.append(query)
    alias = f"fhir_name_{n}"
    # The SQL text is built from constants only; user input goes through params.
    expression = RawSQL(sql, params, output_field=BooleanField())  # noqa: S611
    return queryset.alias(**{alias: expression}).filter(**{alias: True})


def _token(value: str) -> tuple[str | None, str]:
    """(system, code) of a token value: `system|code`, `|code` (no system) or `code`."""
    if "|" in value:
        system, code = value.split("|", 1)
        return system, code
    return None, value


def _rpps_of_identifier(value: str) -> str | None:
    system, code = _token(value.strip())
    if system in (None, RPPS_SYSTEM, "") and is_rpps_format(code):
        return code
    if (
        system in (None, IDNPS_SYSTEM, "")
        and len(code) == 12
        and code.startswith(IDNPS_PREFIX)
        and is_rpps_format(code[1:])
    ):
        return code[1:]
    return None


def _specialty_codes(value: str) -> list[str]:
    codes = []
    for item in value.split(","):
        system, code = _token(item.strip())
        if system in (None, "", SPECIALTY_SYSTEM) and code:
            codes.append(code)
    return codes


def _parse_boolean(name: str, value: str) -> bool:
    if value not in ("true", "false"):
        raise SearchError(_("Le paramètre %(name)s attend true ou false.") % {"name": name})
    return value == "true"


def _parse_instant(value: str) -> tuple[dt.datetime, dt.datetime]:
    """The interval [start, end) a FHIR date or dateTime stands for (its precision)."""
    value = value.replace(" ", "+")  # an unencoded "+" of an offset arrives as a space
    match = _DATE_RE.match(value)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        start = dt.datetime(year, month or 1, day or 1, tzinfo=dt.UTC)
        if day:
            end = start + dt.timedelta(days=1)
        elif month:
            end = (start + dt.timedelta(days=32)).replace(day=1)
        else:
            end = start.replace(year=year + 1)
        return start, end
    try:
        start = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SearchError(_("Date invalide : %(value)s.") % {"value": value}) from None
    if timezone.is_naive(start):
        start = start.replace(tzinfo=dt.UTC)
    step = dt.timedelta(microseconds=1) if start.microsecond else dt.timedelta(seconds=1)
    return start, start + step


def _last_updated_filter(value: str) -> Q:
    prefix = value[:2] if value[:2] in _PREFIXES else "eq"
    start, end = _parse_instant(value[2:] if value[:2] in _PREFIXES else value)
    return {
        "gt": Q(updated_at__gte=end),
        "ge": Q(updated_at__gte=start),
        "lt": Q(updated_at__lt=start),
        "le": Q(updated_at__lt=end),
        "eq": Q(updated_at__gte=start, updated_at__lt=end),
    }[prefix]


def _parse_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise SearchError(_("_count doit être un entier.")) from None
    if count < 1:
        raise SearchError(_("_count doit être au moins 1."))
    return min(count, MAX_COUNT)


_PRACTITIONER_PARAMS = {
    "family",
    "given",
    "name",
    "identifier",
    "qualification-code",
    "_revinclude",
}
_ROLE_PARAMS = {"specialty", "practitioner", "_include"}
_COMMON_PARAMS = {"_id", "active", "_lastUpdated", "_count", "_cursor", "_format"}
_FORMATS = {"json", "application/json", "application/fhir+json"}


def parse_search(resource: str, params: list[tuple[str, str]]) -> Search:
    """Check the parameters and build the search (no query runs here)."""
    allowed = _COMMON_PARAMS | (_PRACTITIONER_PARAMS if resource == PRACTITIONER else _ROLE_PARAMS)
    queryset = DirectoryEntry.objects.defer("search")
    search = Search(resource=resource, queryset=queryset, params=[])
    active = True
    for n, (name, value) in enumerate(params):
        if name not in allowed:
            if ":" in name and name.split(":", 1)[0] in allowed:
                raise SearchError(_("Modificateur non pris en charge : %(name)s.") % {"name": name})
            raise SearchError(
                _("Paramètre inconnu pour %(resource)s : %(name)s.")
                % {"resource": resource, "name": name}
            )
        if name != "_cursor":
            search.params.append((name, value))
        if value == "" and name not in ("_cursor",):
            continue  # FHIR: an empty parameter is ignored
        if name == "family":
            queryset = _name_filter(queryset, value, "last_name", n)
        elif name == "given":
            queryset = _name_filter(queryset, value, "first_name", n)
        elif name == "name":
            queryset = _name_filter(queryset, value, None, n)
        elif name == "identifier":
            wanted = {r for v in value.split(",") if (r := _rpps_of_identifier(v))}
            queryset = queryset.filter(rpps__in=sorted(wanted))
        elif name in ("qualification-code", "specialty"):
            queryset = queryset.filter(specialties__overlap=_specialty_codes(value))
        elif name == "practitioner":
            wanted = [v.strip().removeprefix(f"{PRACTITIONER}/") for v in value.split(",")]
            queryset = queryset.filter(rpps__in=wanted)
        elif name == "_id":
            ids = [v.strip() for v in value.split(",")]
            if resource == PRACTITIONER:
                queryset = queryset.filter(rpps__in=ids)
            else:
                queryset = queryset.filter(rpps__in=[i.rsplit("-", 1)[0] for i in ids])
        elif name == "active":
            active = _parse_boolean(name, value)
        elif name == "_lastUpdated":
            queryset = queryset.filter(_last_updated_filter(value))
        elif name == "_count":
            search.count = _parse_count(value)
        elif name == "_cursor":
            search.cursor = value
        elif name == "_format":
            if value not in _FORMATS:
                raise SearchError(_("Seul le format JSON est proposé."))
        elif name in ("_include", "_revinclude"):
            if value != INCLUDE_ROLE_PRACTITIONER:
                raise SearchError(
                    _("%(name)s non pris en charge : %(value)s.") % {"name": name, "value": value}
                )
            search.include_related = True
    queryset = queryset.filter(listed=active)
    if resource == PRACTITIONER_ROLE:
        queryset = queryset.exclude(places=[])
    search.queryset = queryset
    return search


def _wanted_role_ids(search: Search) -> set[str] | None:
    ids = [v for name, v in search.params if name == "_id"]
    if not ids:
        return None
    return {i.strip() for value in ids for i in value.split(",")}


def run_search(search: Search) -> SearchPage:
    """One page of results, in RPPS order, and the cursor of the next page ("" at the end)."""
    if search.resource == PRACTITIONER:
        queryset = search.queryset
        if search.cursor:
            queryset = queryset.filter(rpps__gt=search.cursor)
        rows = list(queryset.order_by("rpps")[: search.count + 1])
        page = rows[: search.count]
        next_cursor = page[-1].rpps if len(rows) > search.count else ""
        return SearchPage(entries=page, roles=[], next_cursor=next_cursor)

    # PractitionerRole: a cursor "<rpps>-<n>" is the last role served. Every entry has at
    # least one role (entries without a place are excluded), so count + 2 entries hold
    # enough roles to fill the page and know whether another follows.
    cursor_rpps, _sep, cursor_n = search.cursor.rpartition("-")
    after = (cursor_rpps, int(cursor_n)) if cursor_rpps and cursor_n.isdigit() else None
    queryset = search.queryset
    if after:
        queryset = queryset.filter(rpps__gte=after[0])
    wanted = _wanted_role_ids(search)
    roles = []
    entries = list(queryset.order_by("rpps")[: search.count + 2])
    for entry in entries:
        for n, place in enumerate(entry.places, start=1):
            if after and (entry.rpps, n) <= after:
                continue
            if wanted is not None and f"{entry.rpps}-{n}" not in wanted:
                continue
            roles.append((entry, n, place))
    page = roles[: search.count]
    more = len(roles) > search.count or len(entries) > search.count + 1
    next_cursor = f"{page[-1][0].rpps}-{page[-1][1]}" if more and page else ""
    return SearchPage(entries=[], roles=page, next_cursor=next_cursor)


def practitioner_by_id(resource_id: str) -> DirectoryEntry | None:
    if not is_rpps_format(resource_id):
        return None
    return DirectoryEntry.objects.defer("search").filter(rpps=resource_id).first()
