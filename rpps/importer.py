"""The import pipeline of the national directory extract: PostgreSQL parses and merges.

1. Python streams the file by blocks. Per line it does only what PostgreSQL's COPY
   cannot survive: count the fields (a wrong count would abort the whole COPY), check
   UTF-8 (per block, per line only when a block fails) and prefix the line number.
   Lines that fail are set aside as rejections (in a spooled temporary file, so
   memory stays flat whatever the file).
2. COPY parses the good lines into a staging table of text columns (FORMAT csv; for the
   `|` layout the quote character is disabled, for the `;` layout it is `"`).
3. One SQL statement builds the normalised rows (RPPS, national id, key, content hash,
   Luhn flag, rejection reason); duplicates of a key are marked; rejections stored.
4. The merge inserts new keys, rewrites rows whose content hash differs, and only
   moves `last_seen` on unchanged rows (see `merge`).

No row is built in Python (measured 17 times slower than letting PostgreSQL do it,
DESIGN.md s.8). Called by `rpps.services.import_ans_extract`, inside its transaction.
"""

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from rpps.layout import FIELD_COLUMNS, KEY_FIELDS, PIPE, Layout

STAGE = "rpps_import_stage"
ROWS = "rpps_import_rows"
BLOCK_SIZE = 1 << 20
# Bytes PostgreSQL must not see: NUL (invalid in text), \x02 (our disabled quote
# character for the `|` layout) and CR (CRLF files).
_DELETE = b"\x00\x02\r"
# Cheaper than a regular expression (measured 3 times faster per row).
_IS_11_DIGITS = "(length(rpps) = 11 AND ltrim(rpps, '0123456789') = '')"
IMPORT_LOCK_ID = 0x52505053  # "RPPS": one import at a time
EXCERPT_BYTES = 300


@dataclass
class Screened:
    """What the Python screening saw."""

    lines: int = 0  # data lines, blank ones excluded
    rejected: int = 0
    spool: tempfile.SpooledTemporaryFile = field(
        # Closed by close(); spills to disk past 8 MB.
        default_factory=lambda: tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+b")  # noqa: SIM115
    )

    def close(self) -> None:
        self.spool.close()

    def reject(self, line_no: int, reason: str, detail: str, raw: bytes) -> None:
        self.rejected += 1
        excerpt = raw[:EXCERPT_BYTES].decode("utf-8", errors="replace")
        self.spool.write(json.dumps([line_no, reason, detail, excerpt]).encode() + b"\n")

    def rejections(self) -> Iterator[list]:
        self.spool.seek(0)
        for line in self.spool:
            yield json.loads(line)


_UNBALANCED = -1
_NOT_UTF8 = -2


def _canonical(line: bytes, layout: Layout) -> tuple[int, bytes]:
    """(number of fields, the line as COPY must receive it).

    A line with quotes (";" layout) is parsed by Python's csv module and written back
    fully quoted, so that PostgreSQL's CSV parser cannot read it differently (a quote
    inside an unquoted field, for one). The count is negative for a line that cannot be
    parsed: unbalanced quotes, or bytes that are not UTF-8.
    """
    delimiter = layout.delimiter.encode()
    if layout.name == PIPE or b'"' not in line:
        return line.count(delimiter) + 1, line
    if line.count(b'"') % 2:
        return _UNBALANCED, line
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return _NOT_UTF8, line
    fields = next(csv.reader([text], delimiter=";", quotechar='"'))
    out = io.StringIO()
    csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="").writerow(fields)
    return len(fields), out.getvalue().encode("utf-8")


def _screen_block(
    lines: list[bytes], first_line_no: int, layout: Layout, screened: Screened
) -> bytes:
    """The block's good lines, each prefixed with its line number, ready for COPY."""
    expected = layout.column_count
    delimiter = layout.delimiter.encode()
    out = []
    append = out.append
    line_no = first_line_no - 1
    for line in lines:
        line_no += 1
        if not line:
            continue  # a blank line keeps its number but is not a data line
        screened.lines += 1
        count, canonical = _canonical(line, layout)
        if count == expected:
            append(b"%d%b%b\n" % (line_no, delimiter, canonical))
        elif count == _UNBALANCED:
            screened.reject(line_no, "quotes", "guillemets non fermés", line)
        elif count == _NOT_UTF8:
            screened.reject(line_no, "encoding", "caractères non UTF-8", line)
        else:
            detail = f"{count} colonnes au lieu de {expected}"
            screened.reject(line_no, "columns", detail, line)
    data = b"".join(out)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        data = _drop_bad_utf8(out, layout, screened)
    return data


def _drop_bad_utf8(out: list[bytes], layout: Layout, screened: Screened) -> bytes:
    kept = []
    delimiter = layout.delimiter.encode()
    for prefixed in out:
        try:
            prefixed.decode("utf-8")
        except UnicodeDecodeError:
            number, _, line = prefixed.partition(delimiter)
            screened.reject(int(number), "encoding", "caractères non UTF-8", line.rstrip(b"\n"))
        else:
            kept.append(prefixed)
    return b"".join(kept)


def create_stage_table(cursor, layout: Layout) -> None:
    columns = ", ".join(f"c{i} text" for i in range(1, layout.column_count + 1))
    cursor.execute(f"CREATE TEMP TABLE {STAGE} (line_no bigint, {columns}) ON COMMIT DROP")


def copy_lines(cursor, stream: BinaryIO, layout: Layout, *, first_line_no: int = 2) -> Screened:
    """Screen the rest of `stream` (after the header) and COPY its good lines."""
    screened = Screened()
    if layout.name == PIPE:
        options = "FORMAT csv, DELIMITER '|', QUOTE E'\\x02'"
    else:
        options = "FORMAT csv, DELIMITER ';', QUOTE '\"'"
    # Empty fields arrive as '' (not NULL): no coalesce() per field afterwards.
    every = ", ".join(f"c{i}" for i in range(1, layout.column_count + 1))
    options += f", FORCE_NOT_NULL ({every})"
    line_no = first_line_no
    carry = b""
    with cursor.copy(f"COPY {STAGE} FROM STDIN WITH ({options})") as copy:
        while True:
            block = stream.read(BLOCK_SIZE)
            if not block:
                break
            lines = (carry + block.translate(None, _DELETE)).split(b"\n")
            carry = lines.pop()
            copy.write(_screen_block(lines, line_no, layout, screened))
            line_no += len(lines)
        if carry:
            copy.write(_screen_block([carry], line_no, layout, screened))
    return screened


def store_screen_rejections(cursor, run_id: int, screened: Screened) -> None:
    if not screened.rejected:
        return
    with cursor.copy(
        "COPY rpps_importrejection (run_id, line_no, reason, detail, excerpt) FROM STDIN"
    ) as copy:
        for line_no, reason, detail, excerpt in screened.rejections():
            copy.write_row((run_id, line_no, reason, detail, excerpt))


def _luhn_pairs() -> str:
    # Contribution of a pair of digits "ab" (b doubled, a not): a table of 100 entries.
    double = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]
    values = [pair // 10 + double[pair % 10] for pair in range(100)]
    return "'{" + ",".join(map(str, values)) + "}'::int[]"


def _luhn_expr(column: str) -> str:
    """SQL: is the number in bigint `column` (an 11-digit RPPS) Luhn-valid (same rule as
    rpps.identifiers).

    Integer arithmetic on two digits at a time (measured the cheapest form): from the
    right, the check digit alone, then five pairs whose right digit is doubled, looked up
    in a 100-entry table.
    """
    terms = [f"({column} % 10)"]
    terms += [f"({_luhn_pairs()})[{column} / {10 ** (2 * p + 1)} % 100 + 1]" for p in range(5)]
    return "((" + " + ".join(terms) + ") % 10 = 0)"


def content_fields() -> list[str]:
    return list(FIELD_COLUMNS)


def build_rows_table(cursor, layout: Layout) -> None:
    """Normalise and validate every staged line in one pass into the rows table."""
    fields = content_fields()
    picks = []
    for name in fields:
        position = layout.positions.get(name)
        picks.append(f"c{position} AS {name}" if position else f"''::text AS {name}")
    # rpps: the "Identifiant PP" when given, else the national id without its leading "8".
    rpps = (
        "CASE WHEN pp_id <> '' THEN pp_id "
        "WHEN national_id LIKE '8%' THEN substr(national_id, 2) ELSE national_id END"
    )
    reason = (
        "CASE "
        "WHEN pp_id = '' AND national_id = '' THEN 'missing_id' "
        "WHEN pp_id_type NOT IN ('', '8') THEN 'not_rpps' "
        f"WHEN NOT {_IS_11_DIGITS} THEN 'rpps_format' "
        "WHEN national_id <> '' AND national_id <> '8' || rpps THEN 'national_id' "
        "END"
    )
    detail = (
        "CASE "
        "WHEN pp_id = '' AND national_id = '' THEN 'ni identifiant PP ni identification nationale' "
        "WHEN pp_id_type NOT IN ('', '8') THEN 'type d''identifiant PP ' || pp_id_type || ' (8 = RPPS)' "
        f"WHEN NOT {_IS_11_DIGITS} THEN 'RPPS « ' || left(rpps, 40) || ' » : 11 chiffres attendus' "
        "WHEN national_id <> '' AND national_id <> '8' || rpps "
        "THEN 'identification nationale « ' || left(national_id, 40) || ' » ≠ 8 + RPPS' "
        "END"
    )
    # Outer level: national_id normalised to "8" + rpps; key and hash over normalised values.
    normal = ["'8' || rpps" if f == "national_id" else f for f in fields]
    key = " || '|' || ".join("'8' || rpps" if f == "national_id" else f for f in KEY_FIELDS)
    content = "concat_ws(chr(31), " + ", ".join(normal) + ")"
    others = ", ".join(f for f in fields if f != "national_id")
    # The excerpt of a line rejected here is rebuilt from its identifying fields only:
    # carrying all raw columns through every level cost more than the rest.
    excerpt_fields = "pp_id_type, pp_id, national_id, last_name, first_name, profession_code"
    # OFFSET 0 keeps each level from being flattened into the next (which would
    # re-evaluate every field expression once per use).
    cursor.execute(
        f"CREATE TEMP TABLE {ROWS} ON COMMIT DROP AS "
        "SELECT line_no, reason, detail, "
        f"CASE WHEN reason IS NOT NULL THEN left(concat_ws('|', {excerpt_fields}), "
        f"{EXCERPT_BYTES}) END AS excerpt, "
        "rpps, '8' || rpps AS national_id, "
        f"{others}, "
        f"CASE WHEN reason IS NULL THEN {_luhn_expr('rpps_number')} END AS luhn_valid, "
        f'({key}) COLLATE "C" AS entry_key, '
        f"hashtextextended({content}, 0) AS content_hash "
        f"FROM (SELECT *, {reason} AS reason, {detail} AS detail, "
        f"CASE WHEN {_IS_11_DIGITS} THEN rpps::bigint END AS rpps_number "
        f"FROM (SELECT *, {rpps} AS rpps "
        f"FROM (SELECT line_no, {', '.join(picks)} FROM {STAGE} OFFSET 0) a OFFSET 0) b) c"
    )


def mark_duplicates(cursor) -> int:
    """A key seen twice: the first line is kept, later ones are rejected as duplicates."""
    cursor.execute(
        f"UPDATE {ROWS} r SET reason = 'duplicate', detail = 'doublon de la ligne ' || d.first_line "
        f"FROM (SELECT entry_key, min(line_no) AS first_line FROM {ROWS} "
        "WHERE reason IS NULL GROUP BY entry_key HAVING count(*) > 1) d "
        "WHERE r.reason IS NULL AND r.entry_key = d.entry_key AND r.line_no <> d.first_line"
    )
    return cursor.rowcount


def store_rejections(cursor, run_id: int) -> int:
    """Rejections found by SQL (the excerpt was put back together in the rows table)."""
    cursor.execute(
        "INSERT INTO rpps_importrejection (run_id, line_no, reason, detail, excerpt) "
        f"SELECT %s, line_no, reason, detail, coalesce(excerpt, '') FROM {ROWS} "
        "WHERE reason IS NOT NULL",
        [run_id],
    )
    return cursor.rowcount


# Exactly what the migrations create for DirectoryEntry's Meta.constraints / indexes
# (names and columns); tests/rpps check that the definitions are identical afterwards.
BULK_DROP = (
    "ALTER TABLE rpps_directoryentry DROP CONSTRAINT rpps_entry_key_unique",
    "DROP INDEX rpps_entry_rpps",
)
BULK_CREATE = (
    "ALTER TABLE rpps_directoryentry ADD CONSTRAINT rpps_entry_key_unique UNIQUE (entry_key)",
    "CREATE INDEX rpps_entry_rpps ON rpps_directoryentry (rpps)",
)


def merge(cursor, *, seen_at) -> tuple[int, int, int]:
    """Merge the valid rows; returns (inserted, updated, unchanged).

    Three statements, each row written at most once:
    - new keys: a plain INSERT ... SELECT with an anti-join. (ON CONFLICT's speculative
      insertion measured 2.3 times slower per row here; the import holds an advisory
      lock and is the only writer of the table, so no conflict can appear meanwhile);
    - changed content (hash differs): UPDATE of every content column and `last_changed`;
    - unchanged content: only `last_seen` moves.
    """
    fields = content_fields()
    columns = ["entry_key", "rpps", *fields, "luhn_valid", "content_hash"]
    cursor.execute("SELECT EXISTS (SELECT 1 FROM rpps_directoryentry)")
    had_rows = cursor.fetchone()[0]
    if not had_rows:
        # First import into an empty table: build the secondary indexes once, after the
        # rows (PostgreSQL's "remove indexes" advice for bulk loads), instead of per row.
        for statement in BULK_DROP:
            cursor.execute(statement)
    cursor.execute(
        f"INSERT INTO rpps_directoryentry ({', '.join(columns)}, first_seen, last_seen, last_changed) "
        f"SELECT {', '.join('r.' + c for c in columns)}, %(ts)s, %(ts)s, %(ts)s FROM {ROWS} r "
        "WHERE r.reason IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM rpps_directoryentry e WHERE e.entry_key = r.entry_key)",
        {"ts": seen_at},
    )
    inserted = cursor.rowcount
    if not had_rows:
        for statement in BULK_CREATE:
            cursor.execute(statement)
        return inserted, 0, 0  # first import: nothing to compare with
    updates = ", ".join(f"{c} = r.{c}" for c in columns[1:])
    cursor.execute(
        f"UPDATE rpps_directoryentry e SET {updates}, last_seen = %(ts)s, last_changed = %(ts)s "
        f"FROM {ROWS} r WHERE r.reason IS NULL AND e.entry_key = r.entry_key "
        "AND e.content_hash <> r.content_hash AND e.first_seen <> %(ts)s",
        {"ts": seen_at},
    )
    updated = cursor.rowcount
    cursor.execute(
        f"UPDATE rpps_directoryentry e SET last_seen = %(ts)s FROM {ROWS} r "
        "WHERE r.reason IS NULL AND e.entry_key = r.entry_key AND e.last_seen <> %(ts)s",
        {"ts": seen_at},
    )
    return inserted, updated, cursor.rowcount


def drop_tables(cursor) -> None:
    cursor.execute(f"DROP TABLE {ROWS}, {STAGE}")


def lock(cursor) -> None:
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_ID])


def tune(cursor) -> None:
    # Room for the hash aggregates and sorts of one big statement, this transaction only.
    cursor.execute("SET LOCAL work_mem = '256MB'")
    # No JIT: compiling the wide normalisation expressions with LLVM (optimised and
    # inlined, as the row estimates ask for) measured 4 times the cost of running them.
    cursor.execute("SET LOCAL jit = off")
