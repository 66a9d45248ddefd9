"""Kept PostgreSQL connections in tests: what gunicorn's next request does to one, and a
database that ends one."""

import pytest
from django.db import connection

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own (CI runs the suite again with DATABASE_URL set)"
)


def start_of_a_request():
    # What gunicorn's next request does first (the test client leaves it out): a kept
    # connection is checked again before its first query.
    connection.health_check_done = False


def drop_the_kept_connection():
    """The database ends the connection this process keeps (as a restart or an idle timeout
    would), before the next request; returns its backend's process id."""
    dropped = connection.connection.info.backend_pid
    with connection.get_new_connection(connection.get_connection_params()) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [dropped])
    start_of_a_request()
    return dropped


def assert_reconnects_after_the_kept_connection_is_dropped(client, url):
    """The page at `url` comes back the same on a new connection once the database has ended
    the one this process kept."""
    first = client.get(url).content
    dropped = drop_the_kept_connection()
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == first
    assert connection.connection.info.backend_pid != dropped
