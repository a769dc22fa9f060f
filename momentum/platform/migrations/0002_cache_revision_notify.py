"""PostgreSQL announces each new revision of a shared cache scope (NOTIFY momentum_cache_revision,
payload "<scope>:<revision>") when the transaction that moved it commits: the web processes keep
the catalogue's revision from these instead of reading it per request (ADR 0022). A learner's own
scopes ("learner:<id>") move on every progress write and are not announced. SQLite has no
notifications: its readers read the row (momentum/platform/anonymous_cache.py)."""

from django.db import migrations

from momentum.lib.db_triggers import RunVendorSQL, VendorSQL

NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION momentum_cache_revision_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('momentum_cache_revision', NEW.scope || ':' || NEW.revision);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


class Migration(migrations.Migration):
    dependencies = [("platform", "0001_initial")]

    operations = [
        RunVendorSQL(
            "a new revision of a shared cache scope is announced at commit",
            VendorSQL(
                sqlite_forward=[],
                sqlite_backward=[],
                postgresql_forward=[
                    NOTIFY_FUNCTION,
                    "CREATE TRIGGER ops_cacherevision_notify AFTER INSERT OR UPDATE ON ops_cacherevision "
                    "FOR EACH ROW WHEN (NEW.scope NOT LIKE 'learner:%') EXECUTE FUNCTION momentum_cache_revision_notify()",
                ],
                postgresql_backward=[
                    "DROP TRIGGER IF EXISTS ops_cacherevision_notify ON ops_cacherevision",
                    "DROP FUNCTION IF EXISTS momentum_cache_revision_notify()",
                ],
            ),
        )
    ]
