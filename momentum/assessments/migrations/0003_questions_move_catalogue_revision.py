"""A quiz's questions and options are cached with the catalogue (the lesson page's quiz, the same
for every learner): writing them moves the catalogue's cache revision, whoever writes them (the
quiz editor saves the quiz row too, a shell or a data migration may not)."""

from django.db import migrations

from momentum.lib.db_triggers import revision_on_write


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_quiz_moves_catalogue_revision"),
    ]

    operations = [
        revision_on_write(table=table, revisions="ops_cacherevision", scope="catalogue")
        for table in ("assessments_question", "assessments_option")
    ]
