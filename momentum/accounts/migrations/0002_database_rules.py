from django.db import migrations

from momentum.lib.db_triggers import keep_updated_at


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        keep_updated_at("accounts_user"),
    ]
