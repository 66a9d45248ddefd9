"""PostgreSQL: a stored guide body is kept in its row and compressed with lz4.

An uncached guide page reads its stored body (about 15 kB of HTML) on every request. By
default PostgreSQL compresses such a value with pglz and moves it out of the row into the
table's TOAST table once the row passes 2 kB, so each read is a second index lookup and a
pglz decompression. STORAGE MAIN keeps the compressed value in the row while it fits in a
page (it is moved out only if not), and lz4 decompresses several times faster than pglz: the
body query's CPU in PostgreSQL went from 0.13 to 0.095 ms (measured in the server process).

Only values written from now on are stored this way; every body is written again anyway
when the release changes (techniques/guide_bodies/stored.py). SQLite has no such settings.
"""

from django.db import migrations

COLUMNS = ("html", "json_ld")


def alter_columns(storage, compression):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            # lz4 only where the server was built with it (PostgreSQL 14 and later, usually).
            cursor.execute(
                "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
            )
            has_lz4 = cursor.fetchone() is not None
        for column in COLUMNS:
            schema_editor.execute(f"ALTER TABLE techniques_guidebody ALTER COLUMN {column} SET STORAGE {storage}")
            if has_lz4:
                schema_editor.execute(
                    f"ALTER TABLE techniques_guidebody ALTER COLUMN {column} SET COMPRESSION {compression}"
                )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("techniques", "0013_guide_bodies"),
    ]

    operations = [
        migrations.RunPython(alter_columns("MAIN", "lz4"), alter_columns("EXTENDED", "DEFAULT")),
    ]
