"""Encrypted document store: content-checked uploads, processing by Celery, audited downloads."""
