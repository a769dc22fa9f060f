# Both 0002s were made side by side on two branches: 0002_signed_forms is on main already, so it
# keeps its name; this merge joins it with the revocation-reason rule (no operations).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0002_revocation_has_a_reason"),
        ("credentials", "0002_signed_forms"),
    ]

    operations: list[migrations.operations.base.Operation] = []
