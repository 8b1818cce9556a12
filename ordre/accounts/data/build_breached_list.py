"""Build `breached-passwords.txt.gz`, the local list used by BreachedPasswordValidator.

Nothing can be downloaded here, so the list is made offline from:
- the 10,000 most common entries of Django's own list (`common-passwords.txt.gz`,
  itself compiled from public breach corpora), lowercased;
- their "base" word (see `validators.normalize_base`) so that `Dragon2024!` matches `dragon`;
- common French passwords and words (below), which the English corpus under-represents.

Run: `.venv/bin/python ordre/accounts/data/build_breached_list.py` (rewrites the file).
"""

import gzip
from pathlib import Path

import django.contrib.auth

# A word list reads better as text than as a list literal.
_FRENCH_TEXT = """
azerty azertyuiop motdepasse motdepasse1 soleil doudou chouchou loulou nicolas julien
marseille paris bonjour coucou jetaime jetaime1 toulouse lyon bordeaux nantes lille
camille thomas maxime alexandre antoine romain pierre louise manon chocolat princesse
bisounours tigrou titou papa maman famille amour liberte france vacances printemps
hiver automne ete nounours doudou1 poupette cheval chien chat lapin canard poisson
medecin docteur hopital sante ordre ordredesmedecins cabinet patient infirmier
infirmiere clinique urgence secretariat secretaire pharmacie ordonnance consultation
bienvenue sesame fromage baguette rugby football olympique psg ligue mercredi samedi
dimanche lundi mardi jeudi vendredi janvier fevrier mars avril mai juin juillet aout
septembre octobre novembre decembre marine sebastien stephanie isabelle nathalie
christophe philippe francois frederic laurent olivier vincent caroline celine sandrine
emilie aurelie juliette chloe lucas hugo enzo mathis nathan leo gabriel raphael arthur
jade emma lea alice lina rose anna inès ines zoe mila ambre clement quentin kevin
jeremy guillaume benjamin mathieu matthieu arnaud cedric damien jerome ludovic
azerty123 azertyui qsdfghjklm wxcvbn qwertz password motdepass mdp mdpmdp
"""
FRENCH = _FRENCH_TEXT.split()


def main() -> None:
    from ordre.accounts.validators import normalize_base

    source = Path(django.contrib.auth.__file__).parent / "common-passwords.txt.gz"
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        common = [line.strip().lower() for line in handle if line.strip()][:10_000]
    entries = set(common) | set(FRENCH)
    entries |= {base for base in map(normalize_base, list(entries)) if len(base) >= 4}
    target = Path(__file__).with_name("breached-passwords.txt.gz")
    payload = ("\n".join(sorted(entries)) + "\n").encode()
    target.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    print(f"{len(entries)} entries written to {target}")


if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordre.settings")
    main()
