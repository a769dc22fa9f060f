from django.db import migrations

from momentum.lib.db_triggers import counter, keep_updated_at


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial"), ("catalog", "0002_database_rules")]

    operations = [
        counter(
            parent="catalog_course",
            parent_column="enrollment_count",
            child="learning_enrollment",
            child_fk="course_id",
            name="enrollments",
        ),
        keep_updated_at("learning_enrollment"),
        keep_updated_at("learning_lessonprogress"),
    ]
