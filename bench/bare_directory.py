"""The directory search in raw SQL, as the bare baseline of bench/directory_bench.py.

Same algorithm as `tableau.directory.selectors.directory_search` (whole words first,
then prefixes; a sparse pass sorted here, a dense one read in index order), with no
ORM, no serializer, no framework.
"""

TABLE = "tableau_directory_directoryentry"
SPARSE = 1001
PAGE = 21
COLUMNS = "rpps, last_name, first_name, council, specialties, places"
MATCH = "listed AND search @@ to_tsquery('simple', %s)"


def _pass(cursor, where: str, params: list, count: int) -> tuple[list[int], int | None]:
    cursor.execute(
        f"SELECT sort_name, rpps, doctor_id FROM {TABLE} WHERE {where} LIMIT {SPARSE + 1}", params
    )
    keys = cursor.fetchall()
    if len(keys) <= SPARSE:
        keys.sort()
        return [k[2] for k in keys[:count]], len(keys)
    cursor.execute(
        f"SELECT doctor_id FROM {TABLE} WHERE {where} ORDER BY sort_name, rpps LIMIT {count}",
        params,
    )
    return [r[0] for r in cursor.fetchall()], None


def bare_search(cursor, tokens: list[str]) -> list:
    exact, prefix = " & ".join(tokens), " & ".join(f"{t}:*" for t in tokens)
    ids, exact_count = _pass(cursor, MATCH, [exact], PAGE)
    if len(ids) < PAGE and exact_count is not None:
        more, _ = _pass(
            cursor,
            f"{MATCH} AND NOT search @@ to_tsquery('simple', %s)",
            [prefix, exact],
            PAGE - len(ids),
        )
        ids += more
    if not ids:
        return []
    cursor.execute(f"SELECT doctor_id, {COLUMNS} FROM {TABLE} WHERE doctor_id = ANY(%s)", [ids])
    rows = {row[0]: row[1:] for row in cursor.fetchall()}
    return [rows[i] for i in ids]
