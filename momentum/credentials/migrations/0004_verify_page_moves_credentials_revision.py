"""The public verify page is answered from memory to anonymous readers (ADR 0022): what it shows
moves the "credentials" cache revision, whoever writes it. A credential revoked or erased, and the
learner's name on it; a new credential does not (no page of it was cached yet). The course's
title and the site's name are the catalogue's revision, which the page is keyed by too."""

from django.db import migrations

from momentum.lib.db_triggers import revision_on_write


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0003_revocation_has_a_reason"),
        ("accounts", "0008_user_language"),
        ("platform", "0002_cache_revision_notify"),
    ]

    operations = [
        revision_on_write(
            table="credentials_credential", revisions="ops_cacherevision", scope="credentials",
            events=("update", "delete"),
        ),
        revision_on_write(
            table="accounts_user", revisions="ops_cacherevision", scope="credentials",
            events=("update", "delete"), update_of=("display_name",),
        ),
    ]  # fmt: skip
