import pytest
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ordre.accounts import roles
from ordre.accounts.models import User
from ordre.accounts.testing import login_verified, mark_verified

PASSWORD = "Pivoine-Orange-Velo-92"


def current_totp(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The code an authenticator app would show now for `device`."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, offset_steps)
    return f"{code:0{device.digits}d}"


@pytest.fixture
def make_user(db):
    def make(username="jeanne", *, role=None, password=PASSWORD, **fields):
        user = User.objects.create_user(username=username, password=password, **fields)
        if role:
            # get_or_create: a transactional test's flush removes the migration's groups.
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        return user

    return make


@pytest.fixture
def user(make_user):
    return make_user()


@pytest.fixture
def totp_device(user):
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def verify_session(client, user, method="totp"):
    """Mark the client's session as having passed the second factor."""
    mark_verified(client, user, method=method)


@pytest.fixture
def verified_client(client, user):
    return login_verified(client, user)


@pytest.fixture
def it_admin(make_user):
    return make_user("dsi", role=roles.IT_ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """PBKDF2 at production strength costs ~0.5 s per password: tests need no such cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
