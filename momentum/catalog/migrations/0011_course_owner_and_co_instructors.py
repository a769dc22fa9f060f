"""Instructors (issue 19): a course's owner (null: site-owned, as every course made before is),
its co-instructors, and the time an instructor asked an admin to publish it. On SQLite the new
columns and CHECK rebuild catalog_course, which loses its triggers (and SQLite refuses the rebuild
while other tables' triggers read it): they are set aside first and every rule is put back last."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from momentum.lib.db_triggers import RestoreLostRules, SetRulesAside


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_lesson_needs_review"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        SetRulesAside("catalog_course"),
        migrations.CreateModel(
            name="CourseInstructor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["course", "created_at", "pk"],
            },
        ),
        migrations.AddField(
            model_name="course",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="owned_courses",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="course",
            name="publish_requested_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="course",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("publish_requested_at__isnull", True),
                    models.Q(("status", "PUBLISHED"), _negated=True),
                    _connector="OR",
                ),
                name="course_published_not_awaiting_approval",
            ),
        ),
        migrations.AddField(
            model_name="courseinstructor",
            name="added_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="courseinstructor",
            name="course",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="co_instructors", to="catalog.course"
            ),
        ),
        migrations.AddField(
            model_name="courseinstructor",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="co_instructed", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddIndex(
            model_name="courseinstructor",
            index=models.Index(fields=["user", "course"], name="course_instructor_by_user"),
        ),
        migrations.AddConstraint(
            model_name="courseinstructor",
            constraint=models.UniqueConstraint(fields=("course", "user"), name="course_instructor_once"),
        ),
        RestoreLostRules("catalog_course"),
    ]
