"""Courses have a language (issue 18): an ISO 639 code, English for every course that existed
before. On SQLite, adding the column and its CHECK rebuilds catalog_course, which loses the table's
triggers: they are set aside first and every rule is put back last (as in 0009)."""

import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models

from momentum.lib.db_triggers import RestoreLostRules, SetRulesAside


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0012_caption_tracks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        SetRulesAside("catalog_course"),
        migrations.AddField(
            model_name="course",
            name="language",
            field=models.CharField(db_default="en", default="en", max_length=3),
        ),
        migrations.AddIndex(
            model_name="course",
            index=models.Index(fields=["status", "language", "-created_at"], name="course_status_language"),
        ),
        migrations.AddConstraint(
            model_name="course",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    django.db.models.lookups.LessThanOrEqual(2, django.db.models.functions.text.Length("language")),
                    django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length("language"), 3),
                    django.db.models.lookups.Exact(
                        django.db.models.functions.text.Lower("language"), models.F("language")
                    ),
                    models.Q(("language__contains", " "), _negated=True),
                    models.Q(("language__contains", "-"), _negated=True),
                    models.Q(("language__contains", "_"), _negated=True),
                ),
                name="course_language_code",
            ),
        ),
        RestoreLostRules("catalog_course"),
    ]
