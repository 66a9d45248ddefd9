import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from bench.servers import manage, production_environment
from routines import parts
from techniques.page_cache.middleware import reader_built_pages
from techniques.search.sqlite import kept_index
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
    same goes for the parts reader-built routines keep and the text search keeps."""
    cache.clear()
    reader_built_pages.clear()
    parts.forget()
    kept_index.forget()


@pytest.fixture(scope="module")
def production_sqlite(tmp_path_factory, request):
    """A migrated SQLite database for the real production servers of one test module:
    (its folder, for the servers' logs too, and its URL)."""
    folder = tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2])
    url = f"sqlite:///{folder / 'db.sqlite3'}"
    manage(production_environment(url), "migrate", "--noinput")
    return folder, url
