"""The test server's database, for the browser tests' few direct reads and writes: SQLite by
default, PostgreSQL under `make test-cluster`. SQL is written with `?` placeholders."""

import sqlite3


def connect(url):
    if url.startswith("postgres"):
        import psycopg
        return Postgres(psycopg.connect(url, autocommit=True))
    return sqlite3.connect(url.removeprefix("sqlite://"), timeout=10, isolation_level=None)


class Postgres:
    def __init__(self, con):
        self.con = con

    def execute(self, sql, params=()):
        return self.con.execute(sql.replace("?", "%s"), params)

    def commit(self):
        pass


def text(data):
    """A column that is BLOB or BYTEA in one database and TEXT in the other."""
    return bytes(data).decode() if isinstance(data, (bytes, bytearray, memoryview)) else data
