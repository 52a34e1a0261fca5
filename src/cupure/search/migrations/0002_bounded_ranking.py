"""Indexes for queries that match a large share of the archive (issue #9).

- SQLite: the FTS5 table is rebuilt with prefix indexes of 3 and 4 characters.
  A prefix query (``lins*``; the porter tokenizer stems it, so often ``lin*``)
  otherwise merges the position lists of every indexed word it covers, again in
  each statement and again for each row a snippet is cut from: 0.4 s for ``lins*``
  at 100k articles. With the prefix index it is one list. Longer prefixes cover few
  words and need none. The rebuild copies the rows (about 25 s per 100k articles)
  and the index grows by about 1.5 times its size.
- PostgreSQL: each ``search_document`` row gets its article's date, and headlines
  get a GIN index: the bounded ranking's candidates (the newest matches and the
  newest headline matches, ``search.backends``) are then found from this table
  alone. Existing rows get their date here, later ones from ``index()``.
"""

from django.db import migrations, models

FTS5_COLUMNS = "title, body, tokenize = 'porter unicode61 remove_diacritics 2'"
# Both values: the index is rebuilt with the new options, and back without them.
FTS5_PREFIX_OPTION = ", prefix = '3 4'"


def _sqlite_rebuild(options: str) -> list[str]:
    """Recreate search_fts with ``options``, keeping its rows (FTS5 options are
    fixed when a table is created)."""
    return [
        "DROP TABLE IF EXISTS search_fts_rebuilt",
        f"CREATE VIRTUAL TABLE search_fts_rebuilt USING fts5({FTS5_COLUMNS}{options})",
        "INSERT INTO search_fts_rebuilt (rowid, title, body) "
        "SELECT rowid, title, body FROM search_fts",
        "DROP TABLE search_fts",
        "ALTER TABLE search_fts_rebuilt RENAME TO search_fts",
        "INSERT INTO search_fts (search_fts) VALUES ('optimize')",
    ]


FORWARD = {
    "sqlite": _sqlite_rebuild(FTS5_PREFIX_OPTION),
    "postgresql": [
        "ALTER TABLE search_document ADD COLUMN IF NOT EXISTS published timestamptz",
        "UPDATE search_document d SET published = a.published"
        " FROM articles_article a WHERE a.id = d.article_id",
        # The expression must stay search.backends._POSTGRES_HEADLINE_MATCH's.
        "CREATE INDEX IF NOT EXISTS search_document_title_gin"
        " ON search_document USING GIN (to_tsvector('english'::regconfig, title))",
        "ANALYZE search_document",
    ],
}
BACKWARD = {
    "sqlite": _sqlite_rebuild(""),
    "postgresql": [
        "DROP INDEX IF EXISTS search_document_title_gin",
        "ALTER TABLE search_document DROP COLUMN IF EXISTS published",
    ],
}


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        # Unmanaged model: this records the field for the ORM; the SQL is below.
        migrations.AddField(
            model_name="searchdocument",
            name="published",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
