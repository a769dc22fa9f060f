"""Putting or removing a quiz changes the course outline (``has_quiz``): it moves the catalogue's
cache revision like a lesson write does."""

from django.db import migrations

from momentum.lib.db_triggers import revision_on_write


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("ops", "0004_cache_revisions"),
    ]

    operations = [revision_on_write(table="assessments_quiz", revisions="ops_cacherevision", scope="catalogue")]
