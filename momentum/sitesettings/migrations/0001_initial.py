"""SiteSettings moves from ops to sitesettings: the state only. Its table keeps its name
(``ops_sitesettings``), its row, its constraints and its updated_at trigger (ops 0002)."""

from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ops", "0004_cache_revisions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SiteSettings",
                    fields=[
                        (
                            "id",
                            models.PositiveSmallIntegerField(
                                default=1, editable=False, primary_key=True, serialize=False
                            ),
                        ),
                        ("site_name", models.CharField(default="Momentum", max_length=100)),
                        (
                            "generation_daily_quota",
                            models.PositiveIntegerField(default=10, help_text="Jobs per admin per day"),
                        ),
                        (
                            "generation_monthly_budget_usd",
                            models.DecimalField(decimal_places=2, default=Decimal("100.00"), max_digits=10),
                        ),
                        (
                            "generation_daily_budget_usd",
                            models.DecimalField(decimal_places=2, default=Decimal("20.00"), max_digits=10),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "verbose_name_plural": "site settings",
                        "db_table": "ops_sitesettings",
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("id", 1)), name="site_settings_single_row"),
                            models.CheckConstraint(
                                condition=models.Q(("generation_monthly_budget_usd__gte", 0)),
                                name="site_budget_not_negative",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        )
    ]
