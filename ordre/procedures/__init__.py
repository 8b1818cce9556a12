"""The dossier engine shared by every online procedure (kernel: imports no domain app)."""
