"""Public directory search: accent- and case-insensitive, prefix of every word."""

from dataclasses import dataclass

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from tableau.directory.models import DirectoryEntry
from tableau.normalise import normalise

MAX_PAGE_SIZE = 50
MAX_PAGE = 20  # capped paging: 1,000 results at most, in a stable order
MAX_TOKENS = 6


@dataclass(frozen=True)
class DirectoryQuery:
    q: str = ""
    rpps: str = ""
    specialty: str = ""
    department: str = ""
    city: str = ""
    mode: str = ""
    page: int = 1
    page_size: int = 20

    @property
    def tokens(self) -> list[str]:
        return normalise(self.q).split()[:MAX_TOKENS]

    def is_empty(self) -> bool:
        return not (
            self.tokens or self.rpps or self.specialty or self.department or self.city or self.mode
        )


@dataclass
class DirectoryPage:
    entries: list[DirectoryEntry]
    page: int
    page_size: int
    has_next: bool


def _tsquery_filter(entries, tsquery: str, *, negate: bool = False):
    # Tokens hold only [a-z0-9]: safe inside a tsquery.
    condition = RawSQL("search @@ to_tsquery('simple', %s)", [tsquery], output_field=BooleanField())
    entries = entries.alias(_match=condition)
    return entries.exclude(_match=True) if negate else entries.filter(_match=True)


def _filtered(query: DirectoryQuery):
    """Every criterion but the name."""
    entries = DirectoryEntry.objects.filter(listed=True)
    if query.rpps:
        entries = entries.filter(rpps=query.rpps)
    if query.specialty:
        entries = entries.filter(specialties__contains=[query.specialty])
    if query.department:
        entries = entries.filter(departments__contains=[query.department.upper()])
    if query.city:
        entries = entries.filter(cities__contains=[normalise(query.city)])
    if query.mode:
        entries = entries.filter(modes__contains=[query.mode])
    return entries


# A pass holding at most this many matches is sorted here; a denser one is read in
# name order from the index, where it fills a page after a few rows. PostgreSQL cannot
# tell the two apart for a word it has no statistics on, and a wrong guess scans the
# whole table (measured 400 ms at 300,000 doctors). Larger than the deepest offset.
SPARSE_LIMIT = MAX_PAGE * MAX_PAGE_SIZE + 1


def _page_of(entries, start: int, count: int) -> tuple[list[int], int | None]:
    """Primary keys of `count` matches from `start` in name order, and the number of
    matches when it is at most SPARSE_LIMIT (None for a denser pass)."""
    keys = list(entries.order_by().values_list("sort_name", "rpps", "pk")[: SPARSE_LIMIT + 1])
    if len(keys) <= SPARSE_LIMIT:
        keys.sort()
        return [pk for _, _, pk in keys[start : start + count]], len(keys)
    dense = entries.order_by("sort_name", "rpps").values_list("pk", flat=True)
    return list(dense[start : start + count]), None


def _rows(pks: list[int]) -> list[DirectoryEntry]:
    found = DirectoryEntry.objects.defer("search").in_bulk(pks)
    return [found[pk] for pk in pks]


def directory_search(query: DirectoryQuery) -> DirectoryPage:
    """Relevance then name: names holding every typed word in full first, then those
    whose words only start with the typed ones; each group by name. Capped paging."""
    page_size = max(1, min(query.page_size, MAX_PAGE_SIZE))
    page = max(1, min(query.page, MAX_PAGE))
    if query.is_empty():
        return DirectoryPage([], page, page_size, False)
    entries = _filtered(query)
    start, wanted = (page - 1) * page_size, page_size + 1
    tokens = query.tokens
    if not tokens:
        pks, _ = _page_of(entries, start, wanted)
    else:
        exact = " & ".join(tokens)
        prefix = " & ".join(f"{t}:*" for t in tokens)
        pks, exact_count = _page_of(_tsquery_filter(entries, exact), start, wanted)
        if len(pks) < wanted and exact_count is not None:
            others = _tsquery_filter(_tsquery_filter(entries, prefix), exact, negate=True)
            more, _ = _page_of(others, max(0, start - exact_count), wanted - len(pks))
            pks += more
    rows = _rows(pks)
    has_next = len(rows) > page_size and page < MAX_PAGE
    # No COUNT: it would run the search a second time over every match.
    return DirectoryPage(
        entries=rows[:page_size], page=page, page_size=page_size, has_next=has_next
    )


def directory_entry(rpps: str) -> DirectoryEntry | None:
    return DirectoryEntry.objects.filter(listed=True, rpps=rpps).defer("search").first()
