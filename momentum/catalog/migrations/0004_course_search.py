"""Full-text search over courses (momentum/catalog/search.py): FTS5 on SQLite, a GIN index on PostgreSQL."""

from django.db import migrations

from momentum.lib.db_triggers import RunVendorSQL, VendorSQL

_FTS_ROW = "(rowid, title, description) VALUES (NEW.id, NEW.title, NEW.description)"
_FTS_DELETE = (
    "INSERT INTO catalog_course_fts(catalog_course_fts, rowid, title, description) "
    "VALUES ('delete', OLD.id, OLD.title, OLD.description)"
)

COURSE_SEARCH = VendorSQL(
    sqlite_forward=[
        # External content: the index reads its text from catalog_course; triggers keep it current
        # on every write, whatever the client (the ORM, bulk updates, raw SQL, a restore).
        "CREATE VIRTUAL TABLE catalog_course_fts USING fts5(title, description, content='catalog_course', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER catalog_course_fts_ins AFTER INSERT ON catalog_course BEGIN "
        f"INSERT INTO catalog_course_fts{_FTS_ROW}; END",
        f"CREATE TRIGGER catalog_course_fts_del AFTER DELETE ON catalog_course BEGIN {_FTS_DELETE}; END",
        f"CREATE TRIGGER catalog_course_fts_upd AFTER UPDATE OF title, description ON catalog_course BEGIN "
        f"{_FTS_DELETE}; INSERT INTO catalog_course_fts{_FTS_ROW}; END",
        "INSERT INTO catalog_course_fts(catalog_course_fts) VALUES ('rebuild')",
    ],
    sqlite_backward=[
        "DROP TRIGGER IF EXISTS catalog_course_fts_ins",
        "DROP TRIGGER IF EXISTS catalog_course_fts_del",
        "DROP TRIGGER IF EXISTS catalog_course_fts_upd",
        "DROP TABLE IF EXISTS catalog_course_fts",
    ],
    postgresql_forward=[
        # The same expression as search.PG_VECTOR, so the planner uses this index for @@.
        "CREATE INDEX catalog_course_search ON catalog_course USING GIN ("
        "(setweight(to_tsvector('english'::regconfig, title), 'A') || "
        "setweight(to_tsvector('english'::regconfig, description), 'B')))",
    ],
    postgresql_backward=["DROP INDEX IF EXISTS catalog_course_search"],
)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_seed_categories")]

    operations = [RunVendorSQL("course full-text search", COURSE_SEARCH)]
