from celery import shared_task

from tableau.directory.bulk import generate_daily_files


@shared_task(name="tableau_directory.generate_bulk_files", acks_late=True)
def generate_bulk_files() -> list[str]:
    """Daily full and delta files; idempotent (a day already produced is kept)."""
    return [str(f) for f in generate_daily_files()]
