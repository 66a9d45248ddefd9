import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import StaffFactory


@pytest.fixture
def staff_client(db):
    """A signed-in editor, with its own session beside the anonymous `client`."""
    staff = Client()
    staff.force_login(StaffFactory())
    return staff


@pytest.fixture
def seeded(db):
    """The real seed content, loaded as `make run` loads it."""
    call_command("load_content", verbosity=0)
