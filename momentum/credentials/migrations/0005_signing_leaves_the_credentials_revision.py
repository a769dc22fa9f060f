"""Signing a credential no longer moves the "credentials" cache revision: the verify page links to
the signed forms and never shows them, so only what it shows moves it (revoked, its reason,
erased; deleted). Every issue signs its credential in the issuing transaction, and the revision
is one row for the whole site: `make bench` found concurrent first completions (badges and
certificates issued) queueing behind each other's update of it until commit."""

from django.db import migrations

from momentum.lib.db_triggers import RunVendorSQL, VendorSQL, revision_on_write

REVISIONS = "ops_cacherevision"
ON_EVERY_UPDATE = revision_on_write(
    table="credentials_credential", revisions=REVISIONS, scope="credentials", events=("update", "delete")
).sql


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0004_verify_page_moves_credentials_revision"),
    ]

    operations = [
        RunVendorSQL(
            "writes to credentials_credential no longer all move the credentials cache revision",
            VendorSQL(
                sqlite_forward=ON_EVERY_UPDATE.sqlite_backward,
                sqlite_backward=ON_EVERY_UPDATE.sqlite_forward,
                postgresql_forward=ON_EVERY_UPDATE.postgresql_backward,
                postgresql_backward=ON_EVERY_UPDATE.postgresql_forward,
            ),
        ),
        revision_on_write(
            table="credentials_credential", revisions=REVISIONS, scope="credentials",
            events=("update", "delete"), update_of=("revoked_at", "revoke_reason", "erased_at"),
        ),
    ]  # fmt: skip
