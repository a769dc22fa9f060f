"""Every write to a comment (posted, edited, deleted, hidden, restored, its author erased) moves the
``discussions`` cache revision: the lesson page's thread is cached by it (``queries.THREADS``)."""

from django.db import migrations

from momentum.lib.db_triggers import revision_on_write


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0001_initial"),
        ("platform", "0002_cache_revision_notify"),
    ]

    operations = [revision_on_write(table="discussions_comment", revisions="ops_cacherevision", scope="discussions")]
