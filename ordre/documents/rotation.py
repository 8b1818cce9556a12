"""Re-encrypt stored document files under the active key (called by `rotate_keys`)."""

from ordre.crypto.rotation import RotationReport


def rotate_document_files(*, keyring, batch_size: int, dry_run: bool) -> RotationReport:
    from ordre.documents.services import rotate_document_files as rotate

    return rotate(keyring=keyring, batch_size=batch_size, dry_run=dry_run)
