"""Cohorts (issue 16): a course's groups that start together, an enrolment's cohort, and the moment an
admin opened every day for one learner.

Two rules span tables, so they are triggers: an enrolment's cohort belongs to the enrolment's course,
and a cohort with a capacity takes no more learners than that. On PostgreSQL the trigger locks the
cohort row, so concurrent enrolments into one cohort take turns and the count they see is current.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from momentum.lib.db_triggers import RestoreLostRules, RunVendorSQL, SetRulesAside, VendorSQL, revision_on_write

_SQLITE_WRONG_COURSE = (
    "NEW.cohort_id IS NOT NULL AND (SELECT course_id FROM learning_cohort WHERE id = NEW.cohort_id) != NEW.course_id"
)
_SQLITE_FULL = (
    "NEW.cohort_id IS NOT NULL AND (SELECT capacity FROM learning_cohort WHERE id = NEW.cohort_id) IS NOT NULL "
    "AND (SELECT count(*) FROM learning_enrollment WHERE cohort_id = NEW.cohort_id) "
    ">= (SELECT capacity FROM learning_cohort WHERE id = NEW.cohort_id)"
)

COHORT_RULES = VendorSQL(
    sqlite_forward=[
        "CREATE TRIGGER learning_enrollment_cohort_course_ins BEFORE INSERT ON learning_enrollment "
        f"FOR EACH ROW WHEN {_SQLITE_WRONG_COURSE} "
        "BEGIN SELECT RAISE(ABORT, 'an enrolment''s cohort belongs to its course'); END",
        "CREATE TRIGGER learning_enrollment_cohort_course_upd BEFORE UPDATE OF cohort_id, course_id "
        f"ON learning_enrollment FOR EACH ROW WHEN {_SQLITE_WRONG_COURSE} "
        "BEGIN SELECT RAISE(ABORT, 'an enrolment''s cohort belongs to its course'); END",
        "CREATE TRIGGER learning_enrollment_cohort_capacity_ins BEFORE INSERT ON learning_enrollment "
        f"FOR EACH ROW WHEN {_SQLITE_FULL} BEGIN SELECT RAISE(ABORT, 'cohort full'); END",
        "CREATE TRIGGER learning_enrollment_cohort_capacity_upd BEFORE UPDATE OF cohort_id ON learning_enrollment "
        f"FOR EACH ROW WHEN NEW.cohort_id IS NOT OLD.cohort_id AND {_SQLITE_FULL} "
        "BEGIN SELECT RAISE(ABORT, 'cohort full'); END",
    ],
    sqlite_backward=[
        "DROP TRIGGER IF EXISTS learning_enrollment_cohort_course_ins",
        "DROP TRIGGER IF EXISTS learning_enrollment_cohort_course_upd",
        "DROP TRIGGER IF EXISTS learning_enrollment_cohort_capacity_ins",
        "DROP TRIGGER IF EXISTS learning_enrollment_cohort_capacity_upd",
    ],
    postgresql_forward=[
        """
CREATE OR REPLACE FUNCTION momentum_learning_enrollment_cohort() RETURNS trigger AS $$
DECLARE
    cohort_course bigint;
    cohort_capacity integer;
BEGIN
    IF NEW.cohort_id IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.cohort_id = OLD.cohort_id AND NEW.course_id = OLD.course_id THEN
        RETURN NEW;
    END IF;
    SELECT course_id, capacity INTO cohort_course, cohort_capacity
        FROM learning_cohort WHERE id = NEW.cohort_id FOR UPDATE;
    IF cohort_course <> NEW.course_id THEN
        RAISE EXCEPTION 'an enrolment''s cohort belongs to its course' USING ERRCODE = 'check_violation';
    END IF;
    IF cohort_capacity IS NOT NULL
        AND (SELECT count(*) FROM learning_enrollment WHERE cohort_id = NEW.cohort_id) >= cohort_capacity THEN
        RAISE EXCEPTION 'cohort full' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql""",
        "CREATE TRIGGER learning_enrollment_cohort BEFORE INSERT OR UPDATE OF cohort_id, course_id "
        "ON learning_enrollment FOR EACH ROW EXECUTE FUNCTION momentum_learning_enrollment_cohort()",
    ],
    postgresql_backward=[
        "DROP TRIGGER IF EXISTS learning_enrollment_cohort ON learning_enrollment",
        "DROP FUNCTION IF EXISTS momentum_learning_enrollment_cohort()",
    ],
)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_course_pacing"),
        ("learning", "0003_reminder_delivery"),
        ("ops", "0004_cache_revisions"),
    ]

    operations = [
        SetRulesAside("learning_enrollment"),
        migrations.AddField(
            model_name="enrollment",
            name="all_days_open_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="Cohort",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                ("starts_on", models.DateField()),
                ("capacity", models.PositiveIntegerField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "course",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="cohorts", to="catalog.course"
                    ),
                ),
            ],
            options={
                "ordering": ["starts_on", "pk"],
            },
        ),
        migrations.AddField(
            model_name="enrollment",
            name="cohort",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="enrollments",
                to="learning.cohort",
            ),
        ),
        migrations.AddIndex(
            model_name="cohort",
            index=models.Index(fields=["course", "starts_on"], name="cohort_by_course_start"),
        ),
        migrations.AddConstraint(
            model_name="cohort",
            constraint=models.UniqueConstraint(fields=("course", "name"), name="cohort_name_unique_per_course"),
        ),
        migrations.AddConstraint(
            model_name="cohort",
            constraint=models.CheckConstraint(
                condition=models.Q(("name", ""), _negated=True), name="cohort_name_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="cohort",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("capacity__isnull", True),
                    models.Q(("capacity__gte", 1), ("capacity__lte", 100000)),
                    _connector="OR",
                ),
                name="cohort_capacity_positive",
            ),
        ),
        RestoreLostRules("learning_enrollment"),
        RunVendorSQL("learning_enrollment.cohort of its course, within capacity", COHORT_RULES),
        # A course's upcoming cohorts are part of its cached detail.
        revision_on_write(table="learning_cohort", revisions="ops_cacherevision", scope="catalogue"),
    ]
