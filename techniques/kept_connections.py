"""A query sent so that it is also the health check of a kept database connection.

With persistent connections and health checks on (settings), Django sends `SELECT 1` on a
connection kept from an earlier request before that request's first query, to find out
whether it still works: for a page that needs one query (a cache hit reading the content
version, a guide page reading its guide and stored body) that doubles its trips to the
database. Such a query does the check's job itself instead: if it fails and the kept
connection turns out to have died, the connection is closed and the query sent once more on
a new one, which is what Django's check would have done. Any other error (a statement
timeout, a mistake in the SQL) is raised as it is, not sent twice. Inside a transaction the
connection is already in use, and nothing is skipped.
"""

from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, connections

from techniques.django_internals import health_check_due, mark_health_checked


def run_checking_connection(run, using: str = DEFAULT_DB_ALIAS):
    """`run()`, a function that sends one query on `using` and returns what it read. It must
    only read: on a dead connection it is run again."""
    connection = connections[using]
    if health_check_due(connection) and not connection.in_atomic_block:
        mark_health_checked(connection)
        try:
            return run()
        except (DatabaseError, InterfaceError):
            # is_usable() is Django's own check (SELECT 1), sent only now that a query failed.
            if connection.connection is not None and connection.is_usable():
                raise
            connection.close()
    return run()
