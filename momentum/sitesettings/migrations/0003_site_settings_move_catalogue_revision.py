"""The site's name is on every page, and anonymous pages are answered from memory keyed by the
catalogue's revision (ADR 0022): saving the site's settings moves that revision, so a renamed
site shows at once rather than when the entries expire."""

from django.db import migrations

from momentum.lib.db_triggers import revision_on_write


class Migration(migrations.Migration):
    dependencies = [
        ("sitesettings", "0002_instructor_settings"),
        ("platform", "0002_cache_revision_notify"),
    ]

    operations = [revision_on_write(table="ops_sitesettings", revisions="ops_cacherevision", scope="catalogue")]
