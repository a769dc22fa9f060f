"""An erased account keeps no role: accounts erased before this rule become plain, inactive learners."""

from typing import Any

from django.db import migrations, models

from momentum.lib.db_triggers import keep_updated_at, reinstate


def clear_roles_of_erased_accounts(apps: Any, schema_editor: Any) -> None:
    user = apps.get_model("accounts", "User")
    user.objects.filter(erased_at__isnull=False).update(role="FREE", is_active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_age_range_labels"),
    ]

    operations = [
        migrations.RunPython(clear_roles_of_erased_accounts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("erased_at__isnull", True), models.Q(("is_active", False), ("role", "FREE")), _connector="OR"
                ),
                name="user_erased_has_no_role",
            ),
        ),
        # Adding a constraint rebuilds accounts_user on SQLite, without its trigger.
        reinstate(keep_updated_at("accounts_user")),
    ]
