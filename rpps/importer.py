"""The SQL side of the national directory import: PostgreSQL parses, validates and merges.

Python only streams the file's bytes into COPY (one text column per line) and builds
the SQL below from the header mapping; no row is ever built in Python (measured 17
times slower than letting PostgreSQL do it, DESIGN.md s.8). Called by
`rpps.services.import_ans_extract`, inside its transaction.
"""

from collections.abc import Callable
from typing import BinaryIO

from rpps.layout import FIELD_COLUMNS, KEY_FIELDS, PIPE, Layout

RAW = "rpps_import_raw"
ROWS = "rpps_import_rows"
BLOCK_SIZE = 1 << 20
# Bytes PostgreSQL must not see: NUL (invalid in text), our COPY delimiter and quote
# (\x01, \x02: control characters never legitimate in the extract) and CR (CRLF files).
_DELETE = b"\x00\x01\x02\r"
_LUHN_DOUBLE = "'{0,2,4,6,8,1,3,5,7,9}'::int[]"
IMPORT_LOCK_ID = 0x52505053  # "RPPS": one import at a time


def _split_expr(layout: Layout) -> str:
    """SQL turning `line` into a text[] of fields, trailing empty field included."""
    if layout.name == PIPE:
        return "string_to_array(line, '|')"
    # ';' layout, values quoted where needed ("" escapes a quote). Fast path without quotes.
    return (
        "CASE WHEN strpos(line, '\"') = 0 THEN string_to_array(line, ';') ELSE ("
        "SELECT array_agg(CASE WHEN m[1] LIKE '\"%\"' AND length(m[1]) > 1 "
        "THEN replace(substr(m[1], 2, length(m[1]) - 2), '\"\"', '\"') ELSE m[1] END ORDER BY n) "
        "FROM regexp_matches(';' || line, ';(\"(?:[^\"]|\"\")*\"|[^;]*)', 'g') "
        "WITH ORDINALITY AS t(m, n)) END"
    )


def _luhn_expr(column: str) -> str:
    """SQL: is the 11-digit `column` Luhn-valid (same rule as rpps.identifiers)."""
    terms = []
    for position in range(1, 12):
        digit = f"(ascii(substr({column}, {position}, 1)) - 48)"
        # From the right, every second digit is doubled: positions 10, 8, ..., 2.
        terms.append(f"({_LUHN_DOUBLE})[{digit} + 1]" if position % 2 == 0 else digit)
    return "((" + " + ".join(terms) + ") % 10 = 0)"


def _md5_of(fields: list[str]) -> str:
    return "md5(concat_ws(chr(31), " + ", ".join(fields) + "))"


def content_fields() -> list[str]:
    return list(FIELD_COLUMNS)


def create_raw_table(cursor) -> None:
    cursor.execute(
        f"CREATE TEMP TABLE {RAW} ("
        "line_no bigint GENERATED ALWAYS AS IDENTITY (START WITH 2), line text"
        ") ON COMMIT DROP"
    )


def copy_lines(cursor, stream: BinaryIO, *, progress: Callable[[int], None] | None = None) -> int:
    """Stream the rest of `stream` (after the header) into the raw table, block by block.

    Each line lands whole in one text column (CSV format with a delimiter and a quote
    that never occur, so nothing is split or unescaped). Memory stays flat. Line numbers
    come from the identity column, in file order, starting at 2 (the header is line 1).
    """
    total = 0
    with cursor.copy(
        f"COPY {RAW} (line) FROM STDIN WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')"
    ) as copy:
        while block := stream.read(BLOCK_SIZE):
            total += len(block)
            copy.write(block.translate(None, _DELETE))
            if progress:
                progress(len(block))
    return total


def build_rows_table(cursor, layout: Layout) -> None:
    """Parse and validate every line in one pass into the rows table (temp)."""
    fields = content_fields()
    picks = []
    for field in fields:
        position = layout.positions.get(field)
        picks.append(
            f"coalesce(btrim(f[{position}]), '') AS {field}" if position else f"''::text AS {field}"
        )
    inner = (
        f"SELECT line_no, line, cardinality(f) AS n, {', '.join(picks)} "
        f"FROM (SELECT line_no, line, {_split_expr(layout)} AS f FROM {RAW} "
        f"WHERE line IS NOT NULL AND line <> '') s"
    )
    # rpps: the "Identifiant PP" when given, else the national id without its leading "8".
    rpps = (
        "CASE WHEN pp_id <> '' THEN pp_id "
        "WHEN national_id LIKE '8%' THEN substr(national_id, 2) ELSE national_id END"
    )
    reason = (
        "CASE "
        f"WHEN n <> {layout.column_count} THEN 'columns' "
        "WHEN pp_id = '' AND national_id = '' THEN 'missing_id' "
        "WHEN pp_id_type NOT IN ('', '8') THEN 'not_rpps' "
        "WHEN NOT (rpps ~ '^[0-9]{11}$') THEN 'rpps_format' "
        "WHEN national_id <> '' AND national_id <> '8' || rpps THEN 'national_id' "
        "END"
    )
    detail = (
        "CASE "
        f"WHEN n <> {layout.column_count} THEN n || ' colonnes au lieu de {layout.column_count}' "
        "WHEN pp_id = '' AND national_id = '' THEN 'ni identifiant PP ni identification nationale' "
        "WHEN pp_id_type NOT IN ('', '8') THEN 'type d''identifiant PP ' || pp_id_type || ' (8 = RPPS)' "
        "WHEN NOT (rpps ~ '^[0-9]{11}$') THEN 'RPPS « ' || left(rpps, 40) || ' » : 11 chiffres attendus' "
        "WHEN national_id <> '' AND national_id <> '8' || rpps "
        "THEN 'identification nationale « ' || left(national_id, 40) || ' » ≠ 8 + RPPS' "
        "END"
    )
    # In the outer select, `national_id` is normalised to 8 + rpps and
    # the key and hash are computed over the normalised values.
    others = [f for f in fields if f != "national_id"]
    normalised = ["'8' || rpps AS national_id", *others]
    key_values = ["'8' || rpps" if f == "national_id" else f for f in KEY_FIELDS]
    hash_values = ["'8' || rpps" if f == "national_id" else f for f in fields]
    cursor.execute(
        f"CREATE TEMP TABLE {ROWS} ON COMMIT DROP AS "
        f"SELECT line_no, reason, detail, "
        f"CASE WHEN reason IS NOT NULL THEN left(line, 500) END AS excerpt, "
        f"rpps, {', '.join(normalised)}, "
        f"CASE WHEN reason IS NULL THEN {_luhn_expr('rpps')} END AS luhn_valid, "
        f"{_md5_of(key_values)} AS entry_key, {_md5_of(hash_values)} AS content_hash "
        f"FROM (SELECT *, {reason} AS reason, {detail} AS detail "
        f"FROM (SELECT *, {rpps} AS rpps FROM ({inner}) a) b) c"
    )
    cursor.execute(f"ANALYZE {ROWS}")


def mark_duplicates(cursor) -> int:
    """A key seen twice: the first line is kept, later ones are rejected as duplicates."""
    cursor.execute(
        f"UPDATE {ROWS} r SET reason = 'duplicate', "
        "detail = 'doublon de la ligne ' || d.first_line, excerpt = NULL "
        f"FROM (SELECT entry_key, min(line_no) AS first_line FROM {ROWS} "
        "WHERE reason IS NULL GROUP BY entry_key HAVING count(*) > 1) d "
        "WHERE r.reason IS NULL AND r.entry_key = d.entry_key AND r.line_no <> d.first_line"
    )
    return cursor.rowcount


def store_rejections(cursor, run_id: int) -> int:
    cursor.execute(
        "INSERT INTO rpps_importrejection (run_id, line_no, reason, detail, excerpt) "
        f"SELECT %s, line_no, reason, detail, coalesce(excerpt, '') FROM {ROWS} "
        "WHERE reason IS NOT NULL ORDER BY line_no",
        [run_id],
    )
    return cursor.rowcount


def merge(cursor, *, seen_at) -> tuple[int, int, int]:
    """Upsert the valid rows; returns (inserted, updated, unchanged).

    A row whose content hash is unchanged is not rewritten by the upsert (ON CONFLICT
    ... WHERE content differs); only its `last_seen` moves, in a second statement.
    """
    fields = content_fields()
    columns = ["entry_key", "rpps", *fields, "luhn_valid", "content_hash"]
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*columns[1:], "last_seen", "last_changed"])
    cursor.execute(
        "WITH m AS ("
        f"INSERT INTO rpps_directoryentry ({', '.join(columns)}, first_seen, last_seen, last_changed) "
        f"SELECT {', '.join(columns)}, %(ts)s, %(ts)s, %(ts)s FROM {ROWS} WHERE reason IS NULL "
        f"ON CONFLICT (entry_key) DO UPDATE SET {updates} "
        "WHERE rpps_directoryentry.content_hash <> EXCLUDED.content_hash "
        "RETURNING first_seen = %(ts)s AS inserted"
        ") SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM m",
        {"ts": seen_at},
    )
    inserted, updated = cursor.fetchone()
    cursor.execute(
        f"UPDATE rpps_directoryentry e SET last_seen = %(ts)s FROM {ROWS} r "
        "WHERE r.reason IS NULL AND e.entry_key = r.entry_key AND e.last_seen <> %(ts)s",
        {"ts": seen_at},
    )
    return inserted, updated, cursor.rowcount


def count_lines(cursor) -> tuple[int, int]:
    """(data lines read, rejected lines)."""
    cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE reason IS NOT NULL) FROM {ROWS}")
    return cursor.fetchone()


def lock(cursor) -> None:
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_ID])


def tune(cursor) -> None:
    # Room for the hash aggregates and sorts of one big statement, this transaction only.
    cursor.execute("SET LOCAL work_mem = '256MB'")
