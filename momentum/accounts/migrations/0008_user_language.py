"""Users have an interface language (issue 18), blank for everyone who existed before (the
browser's). On SQLite, adding the column and the CHECKs rebuilds accounts_user, which loses its
triggers: they are set aside first and put back last (as in 0005)."""

from django.db import migrations, models

from momentum.lib.db_triggers import RestoreLostRules, SetRulesAside


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_notification_kinds_of_instructors"),
    ]

    operations = [
        SetRulesAside("accounts_user"),
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                default="",
                db_default="",
                help_text="Interface language (a code of LANGUAGES); blank: the browser's",
                max_length=8,
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("language__in", ["", "en", "es", "ar"])), name="user_language_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("timezone", ""), _negated=True),
                    models.Q(("timezone__contains", " "), _negated=True),
                    models.Q(("timezone__startswith", "/"), _negated=True),
                ),
                name="user_timezone_shape",
            ),
        ),
        RestoreLostRules("accounts_user"),
    ]
