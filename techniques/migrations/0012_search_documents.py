"""Stored full-text search documents for guides, steps and pages (techniques.search).

On PostgreSQL each table gets a `search_document` tsvector column, kept current by a trigger
that runs on every insert and update, whichever way the row is written (save(), the admin,
update(), bulk_create()), a GIN index for the `@@` match, and the document filled in for the
rows already there. The weights are those techniques.search ranked with when it built the
documents on every query, and each expression is the one Django's SearchVector compiles to
(COALESCE of each column, several columns joined with a space), so ranks and snippets stay
as they were. On other databases the column is added and stays empty; nothing else runs.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

CONFIG = "'english'::regconfig"

# table: [(weight, [columns])], in the order the document concatenates them.
DOCUMENTS = {
    "techniques_technique": [("A", ["title"]), ("B", ["summary"]), ("C", ["intro_html"]), ("D", ["feel_html", "mistakes_html"])],
    "techniques_step": [("A", ["title"]), ("C", ["instruction_html"]), ("D", ["breathing"])],
    "techniques_page": [("A", ["title"]), ("B", ["summary"]), ("C", ["body_html"])],
}


def document_sql(parts):
    weighted = []
    for weight, columns in parts:
        text = " || ' ' || ".join(f"COALESCE(NEW.{column}, '')" for column in columns)
        weighted.append(f"setweight(to_tsvector({CONFIG}, {text}), '{weight}')")
    return " || ".join(weighted)


def forwards_sql(table, parts):
    return f"""
        CREATE FUNCTION {table}_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_document := {document_sql(parts)};
            RETURN NEW;
        END
        $$;
        CREATE TRIGGER {table}_search_document BEFORE INSERT OR UPDATE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_search_document();
        -- fastupdate off: edits are rare and searches frequent, so a new or changed row goes
        -- straight into the index instead of a pending list that every search reads too.
        CREATE INDEX {table}_search_document_gin ON {table} USING gin (search_document)
            WITH (fastupdate = off);
        -- The rows already there: any update fires the trigger, which fills the document in.
        UPDATE {table} SET search_document = NULL;
    """


def backwards_sql(table):
    return f"""
        DROP INDEX IF EXISTS {table}_search_document_gin;
        DROP TRIGGER IF EXISTS {table}_search_document ON {table};
        DROP FUNCTION IF EXISTS {table}_search_document();
    """


def postgres_only(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("techniques", "0011_loaded_seed_fingerprints"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=model,
                name="search_document",
                field=SearchVectorField(editable=False, null=True, serialize=False),
            )
            for model in ("technique", "step", "page")
        ),
        *(
            migrations.RunPython(postgres_only(forwards_sql(table, parts)), postgres_only(backwards_sql(table)))
            for table, parts in DOCUMENTS.items()
        ),
    ]
