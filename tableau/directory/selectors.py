"""Public directory search: accent- and case-insensitive, prefix of every word."""

from dataclasses import dataclass

from django.db.models import BooleanField, FloatField, Value
from django.db.models.expressions import RawSQL

from tableau.directory.models import DirectoryEntry
from tableau.directory.normalise import normalise

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


def _filtered(query: DirectoryQuery):
    entries = DirectoryEntry.objects.filter(listed=True)
    tokens = query.tokens
    if tokens:
        # Tokens hold only [a-z0-9]: safe inside a tsquery; each word matches as a prefix.
        prefix_query = " & ".join(f"{t}:*" for t in tokens)
        # Relevance: every word typed in full ranks first. A boolean is far cheaper than
        # ts_rank, which reads each match's positions.
        exact_query = " & ".join(tokens)
        entries = entries.alias(
            matched=RawSQL(
                "search @@ to_tsquery('simple', %s)", [prefix_query], output_field=BooleanField()
            )
        ).filter(matched=True)
        entries = entries.annotate(
            relevance=RawSQL(
                "ts_rank(search, to_tsquery('simple', %s))",
                [exact_query],
                output_field=FloatField(),
            )
        )
    else:
        entries = entries.annotate(relevance=Value(0.0, output_field=FloatField()))
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


def directory_search(query: DirectoryQuery) -> DirectoryPage:
    page_size = max(1, min(query.page_size, MAX_PAGE_SIZE))
    page = max(1, min(query.page, MAX_PAGE))
    if query.is_empty():
        return DirectoryPage([], page, page_size, False)
    entries = _filtered(query)
    start = (page - 1) * page_size
    rows = list(
        entries.order_by("-relevance", "sort_name", "rpps").defer("search")[
            start : start + page_size + 1
        ]
    )
    has_next = len(rows) > page_size and page < MAX_PAGE
    # No COUNT: it would run the search a second time over every match.
    return DirectoryPage(
        entries=rows[:page_size], page=page, page_size=page_size, has_next=has_next
    )


def directory_entry(rpps: str) -> DirectoryEntry | None:
    return DirectoryEntry.objects.filter(listed=True, rpps=rpps).defer("search").first()
