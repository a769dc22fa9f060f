"""Rules the schema alone cannot state: lesson day within the course's duration, counters, updated_at."""

from django.db import migrations

from momentum.lib.db_triggers import RunVendorSQL, VendorSQL, counter, keep_updated_at

LESSON_DAY_WITHIN_DURATION = VendorSQL(
    sqlite_forward=[
        "CREATE TRIGGER catalog_lesson_day_within_course_ins BEFORE INSERT ON catalog_lesson FOR EACH ROW "
        "WHEN NEW.day > (SELECT duration_days FROM catalog_course WHERE id = NEW.course_id) "
        "BEGIN SELECT RAISE(ABORT, 'lesson day is beyond the course duration'); END",
        "CREATE TRIGGER catalog_lesson_day_within_course_upd BEFORE UPDATE OF day, course_id ON catalog_lesson "
        "FOR EACH ROW WHEN NEW.day > (SELECT duration_days FROM catalog_course WHERE id = NEW.course_id) "
        "BEGIN SELECT RAISE(ABORT, 'lesson day is beyond the course duration'); END",
        "CREATE TRIGGER catalog_course_duration_covers_lessons BEFORE UPDATE OF duration_days ON catalog_course "
        "FOR EACH ROW WHEN EXISTS (SELECT 1 FROM catalog_lesson WHERE course_id = NEW.id AND day > NEW.duration_days) "
        "BEGIN SELECT RAISE(ABORT, 'course duration is shorter than its lessons'); END",
    ],
    sqlite_backward=[
        "DROP TRIGGER IF EXISTS catalog_lesson_day_within_course_ins",
        "DROP TRIGGER IF EXISTS catalog_lesson_day_within_course_upd",
        "DROP TRIGGER IF EXISTS catalog_course_duration_covers_lessons",
    ],
    postgresql_forward=[
        """
CREATE OR REPLACE FUNCTION momentum_lesson_day_within_course() RETURNS trigger AS $$
BEGIN
    -- FOR SHARE: a concurrent change of the course's duration waits for this lesson.
    IF NEW.day > (SELECT duration_days FROM catalog_course WHERE id = NEW.course_id FOR SHARE) THEN
        RAISE EXCEPTION 'lesson day % is beyond the course duration', NEW.day USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
        "CREATE TRIGGER catalog_lesson_day_within_course BEFORE INSERT OR UPDATE OF day, course_id ON catalog_lesson "
        "FOR EACH ROW EXECUTE FUNCTION momentum_lesson_day_within_course()",
        """
CREATE OR REPLACE FUNCTION momentum_course_duration_covers_lessons() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM catalog_lesson WHERE course_id = NEW.id AND day > NEW.duration_days) THEN
        RAISE EXCEPTION 'course duration % is shorter than its lessons', NEW.duration_days
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
        "CREATE TRIGGER catalog_course_duration_covers_lessons BEFORE UPDATE OF duration_days ON catalog_course "
        "FOR EACH ROW EXECUTE FUNCTION momentum_course_duration_covers_lessons()",
    ],
    postgresql_backward=[
        "DROP TRIGGER IF EXISTS catalog_lesson_day_within_course ON catalog_lesson",
        "DROP TRIGGER IF EXISTS catalog_course_duration_covers_lessons ON catalog_course",
        "DROP FUNCTION IF EXISTS momentum_lesson_day_within_course()",
        "DROP FUNCTION IF EXISTS momentum_course_duration_covers_lessons()",
    ],
)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        RunVendorSQL("lesson day within the course duration", LESSON_DAY_WITHIN_DURATION),
        counter(
            parent="catalog_course",
            parent_column="lesson_count",
            child="catalog_lesson",
            child_fk="course_id",
            name="lessons",
        ),
        keep_updated_at("catalog_course"),
        keep_updated_at("catalog_lesson"),
    ]
