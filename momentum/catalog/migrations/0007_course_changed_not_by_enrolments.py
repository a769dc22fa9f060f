"""A course's updated_at ("Changed" in the studio) no longer moves when learners enrol.

The enrolment counter's trigger updates catalog_course.enrollment_count, and the touch trigger of
0002 took that update for a change of the course. It now ignores updates that move the counter.
"""

from django.db import migrations

from momentum.lib.db_triggers import keep_updated_at, replace_rule


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_course_title_spelling")]

    operations = [
        replace_rule(
            "catalog_course.updated_at not moved by enrolments",
            keep_updated_at("catalog_course"),
            keep_updated_at("catalog_course", counters=("enrollment_count",)),
        ),
    ]
