import pytest


@pytest.fixture
def login(client):
    """Log a person in with a session that passed the second factor."""
    from ordre.accounts import session_state

    def do_login(user):
        client.force_login(user)
        session = client.session
        session[session_state.VERIFIED_KEY] = {"user": user.pk, "method": "test", "at": 0}
        session.save()
        return client

    return do_login
