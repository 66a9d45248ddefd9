"""Fresh databases for the bench, each a new one of its own, removed at the end."""

import os
import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


class SQLiteDatabases:
    """Database files in the bench's temporary folder, which goes with it."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, name: str) -> Path:
        return self.folder / ("bench" + (f"-{name}" if name else "") + ".sqlite3")

    def create(self, name: str = "") -> str:
        return f"sqlite:///{self.path(name)}"

    def copy(self, source: str, name: str) -> str:
        with closing(sqlite3.connect(self.path(source))) as original, closing(sqlite3.connect(self.path(name))) as copy:
            original.backup(copy)
        return self.create(name)

    def drop_all(self) -> None:
        pass


class PostgresDatabases:
    """Databases named bench_<pid>[_<name>] on the server that `server_url` points at, all
    dropped at the end: the bench never touches the database the URL names, which others may
    be using."""

    def __init__(self, server_url: str):
        self.parts = urlsplit(server_url)
        self.admin_url = urlunsplit(self.parts._replace(scheme="postgresql"))
        self.created: list[str] = []

    def name(self, name: str) -> str:
        return f"bench_{os.getpid()}" + (f"_{name}" if name else "")

    def execute(self, statement: sql.Composable) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(statement)

    def create(self, name: str = "", template: str | None = None) -> str:
        database = self.name(name)
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database))
        if template is not None:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(self.name(template)))
        self.execute(statement)
        self.created.append(database)
        return urlunsplit(self.parts._replace(path=f"/{database}"))

    def copy(self, source: str, name: str) -> str:
        """A copy made by the server itself; nothing may be connected to `source` meanwhile."""
        return self.create(name, template=source)

    def drop_all(self) -> None:
        while self.created:
            database = self.created.pop()
            self.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


@contextmanager
def fresh_postgres(server_url: str):
    """One new database on that server for the length of the block."""
    databases = PostgresDatabases(server_url)
    try:
        yield databases.create()
    finally:
        databases.drop_all()


def describe(url: str) -> str:
    """The URL without its password, for printing."""
    password = urlsplit(url).password
    return url.replace(f":{password}@", ":***@", 1) if password else url
