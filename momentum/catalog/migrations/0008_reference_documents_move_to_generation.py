"""ReferenceDocument and ReferenceChunk now belong to generation (generation 0003): catalog forgets
them in its state only; their tables and rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_course_changed_not_by_enrolments"),
        ("generation", "0003_reference_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReferenceChunk"),
                migrations.DeleteModel(name="ReferenceDocument"),
            ],
            database_operations=[],
        )
    ]
