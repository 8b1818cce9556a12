"""Demonstration data: a welcome message in the inbox of each account that has none.

Runs after the accounts' demo (INSTALLED_APPS order). Inbox only (`email=False`):
loading the demo sends no e-mail. Idempotent: an account with a message gets none.
"""

from django.contrib.auth import get_user_model

from ordre.notifications.services import notify

WELCOME = {
    "subject": "Bienvenue sur le portail de l'Ordre des médecins",
    "body": (
        "Ceci est un message de démonstration. Vos notifications (dossiers, "
        "cotisations, contrats) arriveront ici et, si vous avez une adresse "
        "électronique, par courriel."
    ),
    "link": "/",
}


def load() -> None:
    users = get_user_model().objects.filter(is_active=True, inbox_messages__isnull=True)
    for user in users:
        notify(
            recipient=user,
            template="generic",
            context={**WELCOME, "recipient_name": user.get_full_name()},
            email=False,
        )
