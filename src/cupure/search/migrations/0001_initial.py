"""The search index: an FTS5 table on SQLite, a tsvector table + GIN on PostgreSQL.

Each half runs only on its own database (``connection.vendor``); the model state
records the unmanaged ``SearchDocument`` everywhere so the ORM can query it on
PostgreSQL.
"""

import django.contrib.postgres.search
from django.db import OperationalError, migrations, models

# Porter stemming over unicode61 (diacritics folded): "strikes" finds "strike",
# "café" finds "cafe" — the same reach as PostgreSQL's 'english' configuration.
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS search_fts"

POSTGRES_CREATE = [
    "CREATE TABLE IF NOT EXISTS search_document ("
    " article_id bigint PRIMARY KEY,"
    " title text NOT NULL,"
    " body text NOT NULL,"
    " vector tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_document_vector_gin"
    " ON search_document USING GIN (vector)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_document"]


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        try:
            schema_editor.execute(SQLITE_CREATE)
        except OperationalError as error:
            raise RuntimeError(
                "This SQLite has no FTS5 module, which search needs: use a Python "
                "whose sqlite3 is built with FTS5 (most are) or PostgreSQL."
            ) from error
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("title", models.TextField()),
                ("body", models.TextField()),
                (
                    "vector",
                    django.contrib.postgres.search.SearchVectorField(),
                ),
            ],
            options={"db_table": "search_document", "managed": False},
        ),
        migrations.RunPython(create_index, drop_index),
    ]
