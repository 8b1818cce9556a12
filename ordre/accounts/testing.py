"""Test helpers for every app: a logged-in client whose session passed the second factor.

Every page of Ordre demands a verified session (see middleware.py), so a test that only
calls `client.force_login(user)` is sent to the 2FA pages. Use instead:

    from ordre.accounts.testing import login_verified
    login_verified(client, user)
"""

from ordre.accounts import session_state


def mark_verified(client, user, *, method: str = "test") -> None:
    """Mark the test client's current session as having passed the second factor."""
    session = client.session
    now = session_state.now()
    session[session_state.VERIFIED_KEY] = {"user": user.pk, "method": method, "at": now}
    session[session_state.REAUTH_AT_KEY] = now
    session.save()


def login_verified(client, user, *, method: str = "test"):
    """`client.force_login(user)` plus a verified second factor; returns the client."""
    client.force_login(user)
    mark_verified(client, user, method=method)
    return client
