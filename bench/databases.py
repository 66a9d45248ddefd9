"""Fresh, empty databases for one bench run each, removed afterwards."""

import os
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


@contextmanager
def fresh_sqlite(folder: Path):
    yield f"sqlite:///{folder / 'bench.sqlite3'}"


@contextmanager
def fresh_postgres(server_url: str):
    """A new database `bench_<pid>` on the server that `server_url` points at, dropped after,
    so the bench never touches the database the URL names (others may be using it)."""
    name = f"bench_{os.getpid()}"
    parts = urlsplit(server_url)
    admin_url = urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def describe(url: str) -> str:
    """The URL without its password, for printing."""
    password = urlsplit(url).password
    return url.replace(f":{password}@", ":***@", 1) if password else url
