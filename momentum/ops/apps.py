from django.apps import AppConfig


class OpsConfig(AppConfig):
    """What is left of ops after its split (docs/adr/0008): its migrations, which made the tables
    the new apps' models keep, and the code the platform package takes over."""

    name = "momentum.ops"
    label = "ops"
