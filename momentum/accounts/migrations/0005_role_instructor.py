"""Role INSTRUCTOR (issue 19): the CHECK on roles admits it. On SQLite the new CHECK rebuilds
accounts_user, which loses its triggers: they are set aside first and put back last."""

from django.db import migrations, models

from momentum.lib.db_triggers import RestoreLostRules, SetRulesAside


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_erased_accounts_have_no_role"),
    ]

    operations = [
        SetRulesAside("accounts_user"),
        migrations.RemoveConstraint(
            model_name="user",
            name="user_role_valid",
        ),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("ADMIN", "Admin"),
                    ("INSTRUCTOR", "Instructor"),
                    ("PREMIUM", "Premium learner"),
                    ("FREE", "Learner"),
                ],
                default="FREE",
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", ["ADMIN", "INSTRUCTOR", "PREMIUM", "FREE"])), name="user_role_valid"
            ),
        ),
        RestoreLostRules("accounts_user"),
    ]
