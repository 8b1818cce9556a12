"""File types recognised by their content (magic bytes), never by their name."""

KINDS: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "application/pdf"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
}
LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG"}
KIND_BY_CONTENT_TYPE = {mime: kind for kind, (_, mime) in KINDS.items()}
HEAD_BYTES = 16
PNG_TRAILER = b"IEND\xaeB`\x82"


def detect_kind(head: bytes) -> str | None:
    """ "pdf", "jpeg", "png" or None, from the first bytes of a file."""
    for kind, (magic, _mime) in KINDS.items():
        if head.startswith(magic):
            return kind
    return None


def content_type_of(kind: str) -> str:
    return KINDS[kind][1]
