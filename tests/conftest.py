import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from routines import parts
from techniques.page_cache.middleware import reader_built_pages
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


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: a page cached by one test must not answer
    another, whose settings or rolled-back database may differ under the same version. The
    same goes for the parts reader-built routines keep."""
    cache.clear()
    reader_built_pages.clear()
    parts.forget()
