"""The register of doctors (le tableau de l'Ordre) and its procedures (domain, layer 2)."""
