"""A generation job names the language its course is written in (en by default). On SQLite the
column's CHECK rebuilds the table, so its rules are set aside first and put back last (as in 0005)."""

from django.conf import settings
from django.db import migrations, models

from momentum.lib.db_triggers import RestoreLostRules, SetRulesAside


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0013_course_language"),
        ("generation", "0005_job_pacing"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        SetRulesAside("generation_generationjob"),
        migrations.AddField(
            model_name="generationjob",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("es", "Español"), ("ar", "العربية")],
                db_default="en",
                default="en",
                max_length=3,
            ),
        ),
        migrations.AddConstraint(
            model_name="generationjob",
            constraint=models.CheckConstraint(
                condition=models.Q(("language__in", ["en", "es", "ar"])), name="job_language_supported"
            ),
        ),
        RestoreLostRules("generation_generationjob"),
    ]
