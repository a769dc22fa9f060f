from django.db import migrations

from momentum.lib.db_triggers import keep_updated_at


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [
        keep_updated_at("billing_payment"),
        keep_updated_at("billing_subscription"),
        keep_updated_at("billing_entitlement"),
    ]
