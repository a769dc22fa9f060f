"""Course pacing (issue 16): DAILY opens one day a day, SELF_PACED opens every day at enrolment.

New courses are DAILY; every course that existed before keeps its behaviour (all days open) as
SELF_PACED. On SQLite, adding the column and its CHECK rebuilds catalog_course, which loses the
table's triggers (and SQLite refuses the rebuild while other tables' triggers read it): they are set
aside first and every rule is put back last.
"""

from django.db import migrations, models

from momentum.lib.db_triggers import RestoreLostRules, SetRulesAside


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_reference_documents_move_to_generation")]

    operations = [
        SetRulesAside("catalog_course"),
        # Existing rows get SELF_PACED (the column's value while it is added) ...
        migrations.AddField(
            model_name="course",
            name="pacing",
            field=models.CharField(
                choices=[("DAILY", "One day a day"), ("SELF_PACED", "Self-paced")], default="SELF_PACED", max_length=10
            ),
        ),
        # ... and courses made from now on are DAILY, whatever writes them.
        migrations.AlterField(
            model_name="course",
            name="pacing",
            field=models.CharField(
                choices=[("DAILY", "One day a day"), ("SELF_PACED", "Self-paced")],
                db_default="DAILY",
                default="DAILY",
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="course",
            constraint=models.CheckConstraint(
                condition=models.Q(("pacing__in", ["DAILY", "SELF_PACED"])), name="course_pacing_valid"
            ),
        ),
        RestoreLostRules("catalog_course"),
    ]
