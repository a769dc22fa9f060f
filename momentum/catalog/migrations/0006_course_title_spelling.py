"""A spelling index of course titles, so a misspelt word still finds its course (catalog/search.py).

- SQLite: an FTS5 table of the titles' words as written (no stemming), kept current by triggers,
  and an ``fts5vocab`` view of it: the vocabulary the corrections are chosen from.
- PostgreSQL: the ``pg_trgm`` extension and a trigram GIN index on the title, for ``<%``
  (word similarity). Creating an extension needs the right to: where the database refuses,
  the migration says so and search works without corrections.
"""

from typing import Any

from django.db import DatabaseError, migrations, transaction

from momentum.lib.db_triggers import RunVendorSQL, VendorSQL
from momentum.lib.logs import get_logger

_ROW = "(rowid, title) VALUES (NEW.id, NEW.title)"
_DELETE = "INSERT INTO catalog_course_words(catalog_course_words, rowid, title) VALUES ('delete', OLD.id, OLD.title)"

TITLE_WORDS = VendorSQL(
    sqlite_forward=[
        "CREATE VIRTUAL TABLE catalog_course_words USING fts5(title, content='catalog_course', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER catalog_course_words_ins AFTER INSERT ON catalog_course BEGIN "
        f"INSERT INTO catalog_course_words{_ROW}; END",
        f"CREATE TRIGGER catalog_course_words_del AFTER DELETE ON catalog_course BEGIN {_DELETE}; END",
        f"CREATE TRIGGER catalog_course_words_upd AFTER UPDATE OF title ON catalog_course BEGIN "
        f"{_DELETE}; INSERT INTO catalog_course_words{_ROW}; END",
        "INSERT INTO catalog_course_words(catalog_course_words) VALUES ('rebuild')",
        "CREATE VIRTUAL TABLE catalog_course_vocabulary USING fts5vocab(catalog_course_words, 'row')",
    ],
    sqlite_backward=[
        "DROP TABLE IF EXISTS catalog_course_vocabulary",
        "DROP TRIGGER IF EXISTS catalog_course_words_ins",
        "DROP TRIGGER IF EXISTS catalog_course_words_del",
        "DROP TRIGGER IF EXISTS catalog_course_words_upd",
        "DROP TABLE IF EXISTS catalog_course_words",
    ],
    postgresql_forward=[],
    postgresql_backward=[],
)

TRIGRAM_INDEX = "CREATE INDEX IF NOT EXISTS catalog_course_title_trgm ON catalog_course USING GIN (title gin_trgm_ops)"


def enable_trigrams(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as error:
            get_logger("momentum.migrate").warning("search_spelling_unavailable", reason=str(error).strip())
            return
        cursor.execute(TRIGRAM_INDEX)


def disable_trigrams(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS catalog_course_title_trgm")
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("DROP EXTENSION IF EXISTS pg_trgm")
        except DatabaseError:  # something else of the database uses it (or we may not drop it): keep it
            pass


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_course_search_vector")]

    operations = [
        RunVendorSQL("course title spelling index", TITLE_WORDS),
        migrations.RunPython(enable_trigrams, disable_trigrams, elidable=False),
    ]
